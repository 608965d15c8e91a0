// The progress of an ingestion batch (hours/batch.html): poll its status URL until the batch has ended.
(function () {
  var progress = document.getElementById("progress");
  if (!progress || !progress.dataset.statusUrl) return;
  var url = progress.dataset.statusUrl;
  var bar = document.getElementById("progress-bar");

  function setPercent(pct) {
    bar.style.width = pct + "%";
    bar.textContent = pct + "%";
    progress.setAttribute("aria-valuenow", pct);
  }

  function show(s) {
    setPercent(s.total ? Math.round(100 * s.processed / s.total) : (s.state === "done" ? 100 : 0));
    document.getElementById("batch-state").textContent = s.state_display;
    document.getElementById("counts").textContent =
      progress.dataset.processedLabel + " " + s.processed + " / " + s.total;
    document.getElementById("accepted").textContent = s.accepted;
    document.getElementById("refused").textContent = s.refused;
    document.getElementById("error").textContent = s.error || "";
    if (s.state === "done" || s.state === "failed") {
      document.getElementById("result").classList.remove("d-none");
      if (s.refused) document.getElementById("refused-link").classList.remove("d-none");
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (!show(s)) setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 3000); });
  }

  // The server-rendered percentage, set through the DOM: CSP allows no style attribute in the markup.
  setPercent(parseInt(progress.getAttribute("aria-valuenow"), 10) || 0);
  poll();
})();
