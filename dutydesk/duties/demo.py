"""Demo records of the duty engine (idempotent): resident opinions, one satisfaction survey with
answers (two dissatisfied → return-visit tasks), a few deductions, and today's routine tasks."""
from datetime import timedelta

from django.contrib.auth import get_user_model

from dutydesk.archive.models import Unit
from dutydesk.core import clock
from dutydesk.duties import services
from dutydesk.duties.models import Deduction, Opinion, Survey, SurveyResponse
from dutydesk.org.models import Post

OPINIONS = [
    ("opinion", "visit", "电梯早高峰等候时间较长，建议增加高峰时段运行台数"),
    ("suggestion", "phone", "建议在地下车库增设电动车充电桩"),
    ("opinion", "front_desk", "楼道灯晚上十点后偏暗"),
    ("suggestion", "event", "希望周末增加儿童活动"),
    ("opinion", "letter", "垃圾分类点异味较大"),
    ("suggestion", "visit", "建议快递柜延长取件时间"),
    ("opinion", "phone", "小区西门夜间车辆进出登记较慢"),
    ("opinion", "visit", "绿化带需要修剪"),
]
QUESTIONS = [("前台服务态度", "scale", []), ("保洁质量", "scale", []), ("维修及时性", "scale", []),
             ("您最希望改进的服务", "choice", ["保洁", "安保", "维修", "绿化"]), ("其他意见和建议", "text", [])]
SCORES = ["5", "4", "4", "5", "3", "2", "4", "5", "1", "4", "5", "4"]
DEDUCTIONS = [("frontdesk", "frontdesk-assistant", "《操作规程及考核评分标准》来访登记", "2", "来访登记超过5分钟", 6),
              ("frontdesk", "frontdesk-assistant", "《操作规程及考核评分标准》仪容仪表", "1", "未佩戴工牌", 3),
              ("archivist", "archivist", "《操作规程及考核评分标准》钥匙管理", "3", "钥匙借用登记缺少借用人电话", 2)]


def load(project, stdout):
    User = get_user_model()
    supervisor = User.objects.filter(username="supervisor").first()
    frontdesk = User.objects.filter(username="frontdesk").first()
    if supervisor is None or frontdesk is None:
        return
    units = list(Unit.objects.filter(project=project, building__name="A", floor__lte=15).order_by("floor", "number")[:40])
    now = clock.now()
    for index, (kind, channel, text) in enumerate(OPINIONS):
        unit = units[index * 3 % len(units)]
        if not Opinion.objects.filter(project=project, text=text).exists():
            services.opinion_record(project=project, unit=unit, kind=kind, channel=channel, text=text, actor=frontdesk,
                                    received_at=now - timedelta(days=index))
    survey = Survey.objects.filter(project=project, title="2026年度第一次业户满意度调查").first()
    if survey is None:
        survey = services.survey_create(project=project, title="2026年度第一次业户满意度调查", actor=supervisor,
                                        intro="感谢您抽出宝贵时间参与本次调查，您的意见将帮助我们改进服务。")
        for text, kind, choices in QUESTIONS:
            services.question_add(survey=survey, text=text, kind=kind, choices=choices, actor=supervisor)
        services.survey_transition(survey=survey, action="open", actor=supervisor)
        questions = list(survey.questions.order_by("position"))
        for index, score in enumerate(SCORES):
            unit = units[index * 2 % len(units)]
            if SurveyResponse.objects.filter(survey=survey, unit=unit).exists():
                continue
            services.survey_answer(survey=survey, unit=unit, actor=supervisor, channel=SurveyResponse.Channel.PAPER,
                                   answers={questions[0].pk: score, questions[1].pk: SCORES[-index - 1],
                                            questions[2].pk: "4", questions[3].pk: "维修" if index % 2 else "保洁"})
    today = clock.today()
    for username, post_code, rule, points, reason, days_ago in DEDUCTIONS:
        user = User.objects.filter(username=username).first()
        post = Post.objects.filter(code=post_code).first()
        day = today - timedelta(days=min(days_ago, today.day - 1))
        if user and post and not Deduction.objects.filter(user=user, rule=rule, reason=reason).exists():
            services.deduction_record(project=project, user=user, post=post, rule=rule, points=points, reason=reason,
                                      occurred_on=day, actor=supervisor)
    created = services.routine_tasks_generate(day=today)
    stdout.write(f"duties: {Opinion.objects.filter(project=project).count()} opinions, "
                 f"{SurveyResponse.objects.filter(survey=survey).count()} survey answers, "
                 f"{Deduction.objects.filter(project=project).count()} deductions, {created} routine tasks created today")
