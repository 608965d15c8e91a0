"""ID numbers (hours.crypto, R-31): the look-up hash and the GB 11643 check character."""

from hours import crypto
from tests.hours.conftest import make_id


def test_lookup_hash_is_plain_hmac_sha256_so_stored_hashes_keep_matching(settings):
    import hashlib
    import hmac

    crypto.reset_key_cache()
    expected = hmac.new(settings.HOURS_HASH_KEY.encode(), make_id(3).encode(), hashlib.sha256).hexdigest()
    assert crypto.lookup_hash(make_id(3)) == expected
    assert crypto.lookup_hash(make_id(4)) != expected


def test_id_check_character_agrees_with_stdnum_and_refuses_non_ascii_digits():
    """R-31: the hand-written GB 11643 check (kept fast for provincial volume) agrees with python-stdnum."""
    import random

    from stdnum.cn import ric

    rng = random.Random(5)
    for _ in range(5000):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        assert crypto.check_character(body) == ric.calc_check_digit(body + "0")
    good = make_id(7)
    assert crypto.is_valid(good)
    assert not crypto.is_valid(good.replace("5", "５", 1))  # a full-width digit is a digit to str.isdigit
    assert not crypto.is_valid(good[:10] + "0230" + good[14:])  # 30 February
    assert not crypto.is_valid("99" + good[2:])  # no such province
