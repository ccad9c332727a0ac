"""Page forms of 送达: bounded, Chinese messages; the services check the rest."""

from __future__ import annotations

from django import forms

from sites.cases.forms import ListQuery, text


class CollectForm(forms.Form):
    pickup_code = text("取件码", 6, required=True, help_text="办结通知书上的6位取件码")
    collector_id_number = text("领取人身份证号", 18, required=True)
    collector_name = text("领取人姓名", 50, help_text="本人领取可不填")


class AgentForm(forms.Form):
    agent_name = text("委托代领人姓名", 50, required=True)
    agent_id_number = text(
        "委托代领人身份证号", 18, required=True, help_text="须有申请人的授权委托书"
    )


class PostForm(forms.Form):
    address = text("邮寄地址", 200, required=True)
    recipient_phone = text("收件电话", 20, required=True)
    carrier = text("寄递企业", 40, required=True, help_text="如 中国邮政EMS")
    tracking_number = text("运单号", 40, required=True)


class OutsideForm(forms.Form):
    note = text(
        "发放情况", 200, required=True, help_text="在何处、由谁发放；将按规定扣减部门窗口考核分"
    )


class PendingQuery(ListQuery):
    q = text("办件编号", 64)
    overdue = forms.BooleanField(label="只看逾期未领", required=False)


FORMS = {
    "lingqu": CollectForm,
    "daililing": AgentForm,
    "youji": PostForm,
    "chuangkouwai": OutsideForm,
}
