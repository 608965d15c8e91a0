from django.http import HttpResponse


def dashboard(request):
    return HttpResponse("")


export = public = public_download = dashboard
