import pytest

TEXT = """第1篇:客户服务部岗位职责
一、客服主管岗位职责
直接上级:客户服务总监
1、负责客服中心日常管理工作;
2、每周、月向上级递交工作报告;
3、确保管理费收费率达95%以上。
二、客服员岗位职责
直接上级:客服主管
1、负责接待来访业户;
2、确保5分钟内完成来访登记;
3、每日17:00前检查当天登记的所有事项;
4、电话铃响三声内接听。
"""


@pytest.fixture
def jd_text():
    """Two posts in the seeds' style: a superior outside the text, a standard, routines, a KPI, a counted standard."""
    return TEXT
