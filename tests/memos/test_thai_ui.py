"""People by their Thai names and years in the Buddhist era, on our pages and on the pages we
do not lay out ourselves (viewflow's process page, the admin) — without patching Django."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from documents.display import be_format, display_name
from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input
from tests.factories import MemoEventFactory, MemoFactory, NotificationFactory
from workflow.models import TaskLink

BKK = ZoneInfo("Asia/Bangkok")


def render(text: str, **context: object) -> str:
    return Template("{% load thai %}" + text).render(Context(context))


def test_be_date_gives_buddhist_era_years_in_any_django_format():
    day = dt.date(2026, 11, 24)
    with translation.override("th"):
        assert render("{{ d|be_date:'j F Y' }}", d=day) == "24 พฤศจิกายน 2569"
        assert render("{{ d|be_date:'d/m/y' }}", d=day) == "24/11/69"
        assert render(r"{{ d|be_date:'\Y Y' }}", d=day) == "Y 2569"  # an escaped Y stays a letter
        assert render("{{ d|be_date }}", d=day) == "24 พฤศจิกายน 2569"  # the language's DATE_FORMAT
        # A datetime in Bangkok time: 23:30 UTC on the 23rd is the morning of the 24th.
        at = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
        assert render("{{ t|be_date:'j M Y H:i' }}", t=at) == "24 พ.ย. 2569 06:30"
        assert render("{{ d|be_date }}", d=None) == ""
        assert render("{{ d|be_date }}", d="-") == "-"  # not a date: shown as it is
    # Django's own `date` filter is left alone.
    assert render("{{ d|date:'Y' }}", d=day) == "2026"


def test_be_years_turns_the_admins_headings_to_buddhist_era():
    assert render("{{ t|be_years }}", t="พฤศจิกายน 2026") == "พฤศจิกายน 2569"
    assert render("{{ t|be_years }}", t="24 พฤศจิกายน") == "24 พฤศจิกายน"


@pytest.mark.django_db
def test_display_name_is_the_officials_thai_name_never_the_login(roles):
    assert display_name(roles.perm_sec) == "นางศิลปสวย ระวีแสงสูรย์"
    assert render("{{ u|display_name }}", u=roles.deputy) == "นางวันทนี วัฒนะ"
    # A login with no official: the account's name, else the login; nobody: nothing.
    assert display_name(get_user_model()(username="x", first_name="สมศรี", last_name="มีสุข")) == "สมศรี มีสุข"
    assert display_name(get_user_model()(username="admin")) == "admin"
    assert display_name(None) == ""
    assert str(roles.perm_sec) == "permsec"  # Django's User is not patched


@pytest.mark.django_db
def test_viewflows_process_page_names_officials_and_gives_be_years(client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    link = TaskLink.objects.get(memo=memo, is_open=True)
    memo = Memo.objects.get(pk=memo.pk)
    client.force_login(roles.director)
    with translation.override("th"):
        page = client.get(reverse("memos:memo:process_detail", args=[memo.process_id]), HTTP_ACCEPT_LANGUAGE="th")
    assert page.status_code == 200
    html = page.content.decode()
    assert "นายสันติ ตั้งชาญรัชชัย" in html  # the sign task's owner, not "director"
    year = link.task.created.astimezone(BKK).year
    assert str(year + 543) in html
    assert not re.search(rf"\b{year}\b", html.split("vf-card__title", 1)[1])  # no Christian-era year


@pytest.mark.django_db
def test_admin_lists_show_be_years_and_thai_names(admin_client, roles):
    memo = MemoFactory(drafted_by=roles.clerk)
    event = MemoEventFactory(memo=memo)
    with translation.override("th"):
        shown = be_format(event.created_at)  # "2 ธันวาคม 2569, 22:57"
    year = event.created_at.astimezone(BKK).year
    assert str(year + 543) in shown
    html = admin_client.get(reverse("admin:memos_memoevent_changelist")).content.decode()
    assert shown in html
    # The read-only record itself: its date in BE, its actor by name.
    record = admin_client.get(reverse("admin:memos_memoevent_change", args=[event.pk]))
    assert record.status_code == 200
    assert shown in record.content.decode() and "นางสาวสุภาพร ใจงาม" in record.content.decode()
    # A user column names the official, not the login.
    officials = admin_client.get(reverse("admin:directory_official_changelist"), {"q": "ระวีแสงสูรย์"})
    assert officials.status_code == 200
    assert "นางศิลปสวย ระวีแสงสูรย์" in officials.content.decode() and ">permsec<" not in officials.content.decode()
    # The date drill-down of the notifications list reads in Buddhist-era years.
    NotificationFactory(recipient=roles.clerk)
    outbox = admin_client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    toplinks = re.sub(r"<[^>]+>", "", outbox.split('<nav class="toplinks">', 1)[1].split("</nav>", 1)[0])
    assert str(year + 543) in toplinks and str(year) not in toplinks


@pytest.mark.django_db
def test_viewflows_dashboard_and_lists_for_administrators_read_in_thai(admin_client, client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    year = TaskLink.objects.get(memo=memo, is_open=True).task.created.astimezone(BKK).year
    for name in ("memos:memo:index", "memos:memo:task_list", "memos:memo:process_list"):
        page = admin_client.get(reverse(name))
        text = re.sub(r"<[^>]+>", " ", page.content.decode())
        assert page.status_code == 200, name
        assert str(year + 543) in text and not re.search(rf"\b{year}\b", text), name
        if name != "memos:memo:process_list":  # the process list has no people in it
            assert "นายสันติ ตั้งชาญรัชชัย" in text and " director " not in text, name
