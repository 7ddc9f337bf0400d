import datetime as dt

from django.template import Context, Template
from django.utils import translation


def test_django_date_formats_give_buddhist_era_years_in_thai():
    with translation.override("th"):
        text = Template("{{ d|date:'j F Y' }}").render(Context({"d": dt.date(2026, 11, 24)}))
    assert text == "24 พฤศจิกายน 2569"
    with translation.override("en"):
        assert Template("{{ d|date:'Y' }}").render(Context({"d": dt.date(2026, 11, 24)})) == "2026"


def test_users_are_shown_by_their_names(db):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username="permsec", first_name="ศิลปสวย", last_name="ระวีแสงสูรย์")
    assert str(user) == "ศิลปสวย ระวีแสงสูรย์"
    assert str(get_user_model()(username="admin")) == "admin"
