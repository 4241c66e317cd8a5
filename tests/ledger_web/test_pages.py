"""The /ledger pages: login and logout, CSRF, role checks (enforced by the service), applicants seeing
only their own claims, masked ID numbers, payments recorded once, reassessment, new applications,
user management."""

from __future__ import annotations

import re

from .conftest import (COMPANY_NUMBER, PASSWORD, ZHANG_NUMBER, example, fact_name, form_values, login, new_client,
                       post, submit_x6,
                       submit_x9)


# -- login / logout -----------------------------------------------------------------------------
def test_pages_need_a_login(client, people):
    response = client.get("/ledger", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/ledger/login")
    response = client.get("/ledger/applications/1", follow_redirects=False)
    assert response.headers["location"] == "/ledger/login?next=/ledger/applications/1"


def test_login_and_logout(client, people):
    wrong = login(client, "cw", "not-the-password")
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    assert client.get("/ledger", follow_redirects=False).status_code == 303
    ok = login(client, "cw", PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"] == "/ledger"
    cookie = client.cookies.get("jiuye_ledger")
    assert cookie and PASSWORD not in cookie
    page = client.get("/ledger")
    assert page.status_code == 200 and "经办员甲（经办）" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    out = post(client, "/ledger/logout")
    assert out.status_code == 303 and out.headers["location"] == "/ledger/login"
    assert client.get("/ledger", follow_redirects=False).status_code == 303
    # the session ends on the server: the old cookie, replayed, no longer opens the pages
    client.cookies.set("jiuye_ledger", cookie, path="/ledger")
    assert client.get("/ledger", follow_redirects=False).status_code == 303


def test_login_redirects_only_inside_the_ledger(client, people):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/ledger/login").text).group(1)
    response = client.post("/ledger/login", data={"username": "cw", "password": PASSWORD, "csrf_token": token,
                                                  "next": "https://evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/ledger"


def test_deactivated_user_is_logged_out(app, client, people, ledger):
    login(client, "cw2")
    assert client.get("/ledger", follow_redirects=False).status_code == 200
    ledger.set_active(people.admin, people.cw2, False)
    assert client.get("/ledger", follow_redirects=False).status_code == 303
    assert login(new_client(app), "cw2").status_code == 401


def test_demo_accounts_only_in_demo_mode(app, ledger, monkeypatch):
    from jiuye.ledger.demo import DEMO_USERS, seed_demo
    monkeypatch.setenv("JIUYE_DEMO", "1")
    seed_demo(ledger)
    username, _, _, password = DEMO_USERS[1]
    client = new_client(app)
    assert "demo-jingban-2026" in client.get("/ledger/login").text        # shown on the login page in demo mode
    assert login(client, username, password).status_code == 303
    assert client.get("/ledger", follow_redirects=False).status_code == 200
    monkeypatch.setenv("JIUYE_DEMO", "0")
    # outside demo mode: the open session stops, a new login is refused, nothing is shown
    assert client.get("/ledger", follow_redirects=False).status_code == 303
    other = new_client(app)
    assert "demo-jingban-2026" not in other.get("/ledger/login").text
    refused = login(other, username, password)
    assert refused.status_code == 401 and "演示账号只在演示模式下可用" in refused.text


# -- CSRF ---------------------------------------------------------------------------------------
def test_post_without_or_with_a_wrong_csrf_token_is_refused(client, people, ledger):
    app_id = submit_x6(ledger, people).id
    login(client, "rv")
    form = {"on": "2025-03-14", "reason": "材料齐全"}
    missing = client.post(f"/ledger/applications/{app_id}/approve", data=form, follow_redirects=False)
    assert missing.status_code == 403 and "表单校验失败" in missing.text
    wrong = client.post(f"/ledger/applications/{app_id}/approve", data={**form, "csrf_token": "forged"},
                        follow_redirects=False)
    assert wrong.status_code == 403
    assert ledger.application(people.rv, app_id).status == "submitted"
    # the same form with the session's token goes through
    ok = post(client, f"/ledger/applications/{app_id}/approve", form)
    assert ok.status_code == 303
    assert ledger.application(people.rv, app_id).status == "approved"


def test_login_form_and_logout_need_the_token_too(client, people):
    client.get("/ledger/login")
    refused = client.post("/ledger/login", data={"username": "cw", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403
    login(client, "cw")
    assert client.post("/ledger/logout", follow_redirects=False).status_code == 403
    assert client.get("/ledger", follow_redirects=False).status_code == 200


def test_every_post_form_carries_the_token(client, people, ledger):
    app_id = submit_x6(ledger, people, actor=people.cw).id
    login(client, "admin")
    for path in ("/ledger", f"/ledger/applications/{app_id}", f"/ledger/applications/{app_id}/schedule",
                 "/ledger/new", "/ledger/import", "/ledger/users", "/ledger/tokens", "/ledger/payable"):
        page = client.get(path).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, re.S)
        assert forms or path in ("/ledger", "/ledger/payable"), path
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form[:200])


# -- roles (the service decides) -------------------------------------------------------------------
def test_case_worker_cannot_approve(client, people, ledger):
    app_id = submit_x6(ledger, people, actor=people.cw).id
    login(client, "cw")
    page = client.get(f"/ledger/applications/{app_id}").text
    assert 'action="/ledger/applications/%d/approve"' % app_id not in page and "经办人不能审批" in page
    response = post(client, f"/ledger/applications/{app_id}/approve", {"on": "2025-03-14"})
    assert response.status_code == 403 and "无权进行此操作" in response.text
    assert ledger.application(people.cw, app_id).status == "submitted"


def test_reviewer_cannot_approve_own_claim_but_another_can(app, client, people, ledger):
    own = submit_x6(ledger, people, actor=people.rv).id
    login(client, "rv")
    assert "本申请由您提交" in client.get(f"/ledger/applications/{own}").text
    refused = post(client, f"/ledger/applications/{own}/approve", {"on": "2025-03-14", "reason": "自批"})
    assert refused.status_code == 409 and "审核人不能审批本人提交的申请" in refused.text
    assert ledger.application(people.rv, own).status == "submitted"
    other = new_client(app)
    login(other, "rv2")
    done = post(other, f"/ledger/applications/{own}/approve", {"on": "2025-03-14", "reason": "材料齐全"})
    assert done.status_code == 303
    after = ledger.application(people.rv2, own)
    assert after.status == "approved" and [i.status for i in after.installments] == ["scheduled"] * 3
    assert after.decisions[-1].decided_by == "rv2" and after.decisions[-1].reason == "材料齐全"


def test_reject_needs_a_reason_and_shows_it(client, people, ledger):
    app_id = submit_x6(ledger, people).id
    login(client, "rv")
    missing = post(client, f"/ledger/applications/{app_id}/reject", {"on": "2025-03-14", "reason": ""})
    assert missing.status_code == 422 and "reason" in missing.text
    done = post(client, f"/ledger/applications/{app_id}/reject", {"on": "2025-03-14", "reason": "劳动合同未备案"})
    assert done.status_code == 303
    page = client.get(f"/ledger/applications/{app_id}").text
    assert "已驳回" in page and "劳动合同未备案" in page


def test_applicant_sees_only_their_own_applications(client, people, ledger):
    own = submit_x9(ledger, people).id
    other = submit_x6(ledger, people).id
    login(client, "zhao")
    listing = client.get("/ledger").text
    assert f'data-application="{own}"' in listing and f'data-application="{other}"' not in listing
    assert client.get(f"/ledger/applications/{own}").status_code == 200
    refused = client.get(f"/ledger/applications/{other}")
    assert refused.status_code == 403 and "申请人只能查看本人的申请" in refused.text
    assert client.get(f"/ledger/applications/{other}/schedule").status_code == 403
    assert client.get("/ledger/export.csv").status_code == 403
    assert client.get("/ledger/import").status_code == 403
    assert client.get("/ledger/users").status_code == 403


def test_only_admins_manage_users(app, client, people, ledger):
    login(client, "cw")
    assert client.get("/ledger/users").status_code == 403
    assert post(client, "/ledger/users", {"username": "x1", "role": "admin", "password": "12345678abc"}).status_code == 403
    admin = new_client(app)
    login(admin, "admin")
    assert "cw2" in admin.get("/ledger/users").text
    made = post(admin, "/ledger/users", {"username": "wangfang", "display_name": "王芳", "role": "case_worker",
                                         "password": "a-new-password-1"})
    assert made.status_code == 303
    assert login(new_client(app), "wangfang", "a-new-password-1").status_code == 303
    user = ledger.user_by_name("wangfang")
    assert user.role == "case_worker" and user.display_name == "王芳"
    # an applicant user linked to a person by ID number
    made = post(admin, "/ledger/users", {"username": "zhangsan", "role": "applicant", "password": "a-new-password-2",
                                         "applicant_kind": "person", "applicant_id_number": ZHANG_NUMBER,
                                         "applicant_name": "张三"})
    assert made.status_code == 303 and ledger.user_by_name("zhangsan").applicant_id == people.zhang
    off = post(admin, f"/ledger/users/{user.id}/active", {"active": "0"})
    assert off.status_code == 303 and not ledger.user(user.id).active


# -- masking ----------------------------------------------------------------------------------------
def test_id_numbers_are_masked_in_lists_pages_and_exports(client, people, ledger):
    app_id = submit_x6(ledger, people).id
    login(client, "cw")
    masked = ZHANG_NUMBER[:6] + "********" + ZHANG_NUMBER[-4:]
    for path in ("/ledger", f"/ledger/applications/{app_id}", f"/ledger/applications/{app_id}/schedule",
                 "/ledger/export.csv"):
        text = client.get(path).content.decode("utf-8-sig")
        assert ZHANG_NUMBER not in text and masked in text, path


def test_filter_by_id_number_keeps_the_number_out_of_the_address(client, people, ledger):
    submit_x6(ledger, people)
    submit_x9(ledger, people)
    login(client, "cw")
    response = client.get("/ledger", params={"applicant": COMPANY_NUMBER, "status": "submitted"},
                          follow_redirects=False)
    assert response.status_code == 303
    assert COMPANY_NUMBER not in response.headers["location"]
    assert f"beneficiary={people.company}" in response.headers["location"]
    page = client.get(response.headers["location"]).text
    assert page.count('data-application="') == 1 and "西城示范科技有限公司" in page
    unknown = client.get("/ledger", params={"applicant": "110101199003074514"})
    assert unknown.status_code == 422 and "没有该证件号的申请人" in unknown.text
    bad = client.get("/ledger", params={"applicant": "12345"})
    assert bad.status_code == 422
    dates = client.get("/ledger", params={"from": "2026-01-01", "to": "2026-12-31"}).text
    assert dates.count('data-application="') == 1          # the xicheng/9 claim of 2026-11-23


# -- payments, reassessment ----------------------------------------------------------------------------
def _pay_form(page: str, installment_id: int) -> dict:
    form = re.search(r'<form method="post" action="/ledger/installments/%d/pay".*?</form>' % installment_id, page, re.S)
    assert form, f"no pay form for installment {installment_id}"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))


def test_a_double_submitted_payment_form_pays_once(client, people, ledger):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    first = app.installments[0]
    login(client, "cw")
    page = client.get(f"/ledger/applications/{app.id}/schedule").text
    hidden = _pay_form(page, first.id)
    assert hidden["idempotency_key"].startswith("web-")
    form = {**hidden, "on": "2025-03-14", "reference": "BANK-0001"}
    once = client.post(f"/ledger/installments/{first.id}/pay", data=form, follow_redirects=False)
    again = client.post(f"/ledger/installments/{first.id}/pay", data=form, follow_redirects=False)
    assert once.status_code == again.status_code == 303
    assert "重复提交，未重复支付" in client.get(again.headers["location"]).text
    after = ledger.application(people.cw, app.id)
    assert [i.status for i in after.installments] == ["paid", "scheduled", "scheduled"]
    assert after.paid == 6000 and after.installments[0].payment.reference == "BANK-0001"


def test_paying_before_the_due_date_is_refused_with_the_reason(client, people, ledger):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    second = app.installments[1]
    login(client, "cw")
    hidden = _pay_form(client.get(f"/ledger/applications/{app.id}/schedule").text, second.id)
    refused = client.post(f"/ledger/installments/{second.id}/pay", data={**hidden, "on": "2025-06-01"},
                          follow_redirects=False)
    assert refused.status_code == 409 and "尚未到期" in refused.text
    assert ledger.application(people.cw, app.id).installments[1].status == "scheduled"


def test_reassess_after_early_contract_end_cancels_the_rest_with_the_reason(client, people, ledger):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    ledger.pay(people.cw, app.installments[0].id, on="2025-03-14", idempotency_key="y1")
    login(client, "cw")
    page = client.get(f"/ledger/applications/{app.id}").text
    assert "<textarea" not in page and "JSON" not in page            # facts by label, no JSON
    form = form_values(page, "reassess")
    wage, start, end = (fact_name(page, label) for label in ("月工资（元）", "劳动合同起始日期", "劳动合同提前解除或终止日期"))
    assert form[wage] == "4000" and form[start] == "2024-03-15" and form[end] == ""    # prefilled, frozen values
    done = post(client, f"/ledger/applications/{app.id}/reassess", {
        **form, "on": "2026-02-15", end: "2026-01-31", "reason": "劳动合同于2026-01-31提前解除"})
    assert done.status_code == 303 and done.headers["location"].endswith("/schedule")
    schedule = client.get(done.headers["location"]).text
    assert "取消2期" in schedule and "劳动合同提前解除或终止日期" in schedule
    assert schedule.count('data-status="cancelled"') == 2 and "劳动合同于2026-01-31提前解除" in schedule
    after = ledger.application(people.cw, app.id)
    assert [i.status for i in after.installments] == ["paid", "cancelled", "cancelled"]
    assert after.facts["persons"]["zhang_san"]["contract_termination_date"] == "2026-01-31"
    assert "contract_termination_date" not in after.situation["persons"]["zhang_san"]      # as submitted, frozen
    assert after.facts["persons"]["zhang_san"]["monthly_wage"] == 4000          # unchanged facts untouched
    detail = client.get(f"/ledger/applications/{app.id}").text
    assert "重新核定" in detail and "2026-03-14（9,000元）" in detail
    assert "变化：劳动合同提前解除或终止日期：未填→2026-01-31" in detail


def test_reassess_form_names_a_bad_fact_by_its_label(client, people, ledger):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    login(client, "cw")
    page = client.get(f"/ledger/applications/{app.id}").text
    form = form_values(page, "reassess")
    wage = fact_name(page, "月工资（元）")
    bad = post(client, f"/ledger/applications/{app.id}/reassess", {**form, wage: "四千", "reason": "工资调整"})
    assert bad.status_code == 422 and "“月工资（元）”：应为数字" in bad.text
    assert re.search(r'name="' + re.escape(wage) + r'"[^>]*aria-invalid="true"', bad.text)
    assert ledger.application(people.cw, app.id).decisions[-1].kind != "reassess"


# -- new application ---------------------------------------------------------------------------
def _fill_x6(page: str) -> dict:
    """The xicheng/6 example's facts typed into the new-claim form, by label."""
    by_label = {"劳动合同起始日期": "2024-03-15", "签订劳动合同时为本市分流职工": "否", "最高学历": "high_school",
                "签订劳动合同时为社会公益性就业组织安置人员": "否", "签订劳动合同时为登记失业人员": "是", "退役士兵（退役军人）": "否",
                "劳动合同期限（月）": "36", "劳动合同类型": "fixed_term", "户籍所在区": "xicheng",
                "按规定缴纳职工社会保险": "是", "月工资（元）": "4000", "按月足额发放工资": "是",
                "单位类型": "limited_company", "注册地（所在区）": "xicheng"}
    return {fact_name(page, label): value for label, value in by_label.items()}


def test_new_application_form(client, people, ledger):
    login(client, "cw")
    first = client.get("/ledger/new").text
    assert 'id="new-application"' not in first                      # a measure first
    page = client.get("/ledger/new", params={"measure_id": "xicheng/6/employer"}).text
    assert "<textarea" not in page and "JSON" not in page
    form = {**form_values(page, "new-application"), **_fill_x6(page), "beneficiary_id_number": COMPANY_NUMBER.lower(),
            "person_id_number": ZHANG_NUMBER, "on": "2025-03-14"}
    bad = post(client, "/ledger/new", {**form, "person_id_number": ZHANG_NUMBER[:-1] + "0"})
    assert bad.status_code == 422 and "校验码" in bad.text and 'aria-invalid="true"' in bad.text
    wage = fact_name(page, "月工资（元）")
    bad = post(client, "/ledger/new", {**form, wage: "1e999"})
    assert bad.status_code == 422 and "“月工资（元）”" in bad.text
    start = fact_name(page, "劳动合同起始日期")
    bad = post(client, "/ledger/new", {**form, start: "2024/03/15"})
    assert bad.status_code == 422 and "“劳动合同起始日期”：日期格式应为YYYY-MM-DD" in bad.text
    assert ledger.list_applications(people.cw) == []
    done = post(client, "/ledger/new", form)
    assert done.status_code == 303
    again = post(client, "/ledger/new", form)                 # a double submit: the same claim
    assert again.headers["location"] == done.headers["location"]
    [app] = ledger.list_applications(people.cw)
    assert app.beneficiary.id == people.company and app.person.id == people.zhang
    detail = client.get(done.headers["location"]).text
    # the amounts the clause sets for a 36-month contract: 6,000 / 9,000 / 12,000 (xicheng/6)
    assert "符合条件" in detail and "6,000元" in detail and "9,000元" in detail and "12,000元" in detail
    assert 'data-measure="xicheng/6/employer"' in detail           # the frozen results card
    assert "签订劳动合同时为登记失业人员" in detail and "JSON" not in detail    # the frozen facts by label
    # the same claim through the API's situation JSON: the same result
    full = ledger.application(people.cw, app.id)
    import datetime as dt
    from jiuye.catalogue import load_catalogue
    from jiuye.ledger.compute import compute
    assert full.result == compute(load_catalogue().measure("xicheng/6/employer"), full.situation, dt.date(2025, 3, 14),
                                  full.result["beneficiary"], full.result["person"])
    # a new applicant needs a name
    from jiuye.ids import make_uscc
    other = post(client, "/ledger/new", {**form, "beneficiary_id_number": make_uscc("91", "110102", "MA09NEW01"),
                                         "idempotency_key": "k2"})
    assert other.status_code == 422 and "新申请人：请填写姓名或单位名称" in other.text


def test_labels_for_every_field(client, people, ledger):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    login(client, "admin")
    for path in ("/ledger", f"/ledger/applications/{app.id}", f"/ledger/applications/{app.id}/schedule",
                 "/ledger/new", "/ledger/import", "/ledger/users", "/ledger/tokens", "/ledger/payable?on=2027-03-14"):
        page = client.get(path).text
        ids = set(re.findall(r'<label for="([^"]+)"', page))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in tag or "aria-label" in tag:
                continue
            field_id = re.search(r'id="([^"]+)"', tag)
            assert field_id and field_id.group(1) in ids, (path, tag)


def test_users_change_their_own_password_only(app, client, people, ledger):
    login(client, "cw")
    changed = post(client, f"/ledger/users/{people.cw}/password", {"password": "another-pass-42"},
                   token_from="/ledger/tokens")
    assert changed.status_code == 303
    assert login(new_client(app), "cw", "another-pass-42").status_code == 303
    assert login(new_client(app), "cw", PASSWORD).status_code == 401
    refused = post(client, f"/ledger/users/{people.rv}/password", {"password": "taken-over-42"},
                   token_from="/ledger/tokens")
    assert refused.status_code == 403
    assert login(new_client(app), "rv", PASSWORD).status_code == 303
