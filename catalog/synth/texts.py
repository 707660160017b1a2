"""Generic text pools: process steps, conditions, situations, form fields, FAQ, visit reasons."""

from __future__ import annotations

from typing import Any

STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    "apply": (
        ("申请", "申请人通过网上大厅或到窗口提交申请材料。"),
        (
            "受理",
            "窗口工作人员核对材料，材料齐全、符合法定形式的当场受理；不齐全的一次性告知需要补正的全部内容。",
        ),
        ("审查", "承办科室对申请材料进行审查，必要时进行现场核查。"),
        ("决定", "符合条件的作出准予决定；不符合条件的作出不予决定并说明理由。"),
        ("送达", "通过窗口领取、邮寄或电子证照方式送达办理结果。"),
    ),
    "public": (
        ("咨询", "通过电话、网站或窗口了解办理要求。"),
        ("申请", "提交申请或预约服务。"),
        ("办理", "工作人员按规定办理。"),
        ("办结", "告知办理结果。"),
    ),
    "行政处罚": (
        ("立案", "对发现的违法线索进行核查，符合立案条件的予以立案。"),
        ("调查取证", "两名以上执法人员调查取证，制作询问笔录和现场检查笔录。"),
        ("审查", "法制审核机构对案件进行审核。"),
        ("告知", "告知当事人拟作出处罚的事实、理由、依据以及陈述、申辩和要求听证的权利。"),
        ("决定", "作出行政处罚决定。"),
        ("送达", "将行政处罚决定书送达当事人。"),
        ("执行", "当事人履行处罚决定；逾期不履行的依法强制执行。"),
    ),
    "行政检查": (
        ("制定计划", "按照“双随机、一公开”要求制定检查计划。"),
        ("实施检查", "执法人员出示证件，依法实施检查并制作检查记录。"),
        ("处理", "对发现的问题责令改正或依法立案查处。"),
        ("公开", "检查结果依法向社会公开。"),
    ),
    "行政强制": (
        ("审批", "报行政机关负责人批准。"),
        ("告知", "告知当事人采取强制措施的理由、依据以及享有的权利。"),
        ("实施", "两名以上执法人员实施，制作现场笔录。"),
        ("决定", "制作并送达强制措施决定书。"),
        ("解除", "期限届满或情形消失后依法解除。"),
    ),
    "行政征收": (
        ("核定", "依法核定应缴金额。"),
        ("通知", "向缴纳义务人送达缴款通知书。"),
        ("征收", "缴纳义务人按规定缴纳。"),
    ),
    "其他行政权力": (
        ("启动", "依职权启动。"),
        ("调查", "调查核实有关情况。"),
        ("处理", "依法作出处理决定。"),
        ("送达", "送达处理结果。"),
    ),
}
"""Process steps by kind of item (on-application and public items use "apply" and "public")."""

CONDITIONS = (
    "申请人具有完全民事行为能力。",
    "申请事项属于本部门的职责范围。",
    "有与申请事项相适应的场所、设施和设备。",
    "有相应的管理制度和专业技术人员。",
    "申请材料齐全、真实，符合法定形式。",
    "近三年内无严重违法失信记录。",
    "户籍或经常居住地在本区。",
    "符合国家和自治区规定的其他条件。",
)

VISIT_REASONS = (
    "需现场核验申请人身份。",
    "需到窗口签署告知承诺书。",
    "需现场核查经营场所。",
    "需提交纸质原件核对。",
    "需现场采集照片和指纹。",
    "需本人到场签字确认。",
)

EXEMPT_REASONS = ("通过电子证照库调取。", "通过部门间数据共享获取。", "通过政务数据平台核验。")

SITUATIONS: dict[str, dict[str, Any]] = {
    "agent": {
        "question": "是否委托他人代办？",
        "options": [{"id": "no", "label": "本人办理"}, {"id": "yes", "label": "委托他人办理"}],
    },
    "applicant-type": {
        "question": "申请人是个人还是单位？",
        "options": [{"id": "person", "label": "个人"}, {"id": "org", "label": "单位"}],
    },
    "first-time": {
        "question": "是否首次申请？",
        "options": [
            {"id": "first", "label": "首次申请"},
            {"id": "renew", "label": "变更或延续"},
        ],
    },
}
"""Questions an item may ask; see :data:`SITUATION_MATERIALS` for what each answer brings."""

SITUATION_MATERIALS: dict[str, tuple[tuple[str, str], ...]] = {
    "agent": (("授权委托书", "yes"), ("代理人居民身份证", "yes")),
    "applicant-type": (
        ("营业执照", "org"),
        ("法定代表人身份证明", "org"),
        ("居民身份证", "person"),
    ),
    "first-time": (("原证件", "renew"),),
}
"""Materials needed only for one answer: situation → (material name, option id)."""

PERSON_FIELDS = (
    {"key": "applicant-name", "label": "申请人姓名", "type": "text", "max_length": 30},
    {"key": "applicant-id", "label": "申请人身份证号", "type": "id_number"},
    {"key": "applicant-phone", "label": "联系电话", "type": "phone"},
)
ORG_FIELDS = (
    {"key": "company-name", "label": "单位名称", "type": "text", "max_length": 100},
    {"key": "credit-code", "label": "统一社会信用代码", "type": "text", "max_length": 18},
    {"key": "legal-representative", "label": "法定代表人", "type": "text", "max_length": 30},
    {"key": "applicant-phone", "label": "联系电话", "type": "phone"},
)
EXTRA_FIELDS = (
    {"key": "contact-address", "label": "联系地址", "type": "text", "max_length": 100},
    {"key": "business-address", "label": "经营场所", "type": "text", "max_length": 100},
    {"key": "business-area", "label": "经营面积（平方米）", "type": "number", "required": False},
    {"key": "employees", "label": "从业人员数量", "type": "number"},
    {
        "key": "business-scope",
        "label": "经营范围",
        "type": "choice",
        "choices": ["餐饮服务", "食品销售", "零售", "其他"],
    },
    {"key": "birth-date", "label": "出生日期", "type": "date"},
    {"key": "gender", "label": "性别", "type": "choice", "choices": ["男", "女"]},
    {
        "key": "education-level",
        "label": "文化程度",
        "type": "choice",
        "choices": ["初中及以下", "高中或中专", "大专", "本科及以上"],
        "required": False,
    },
    {"key": "household-address", "label": "户籍地址", "type": "text", "max_length": 100},
    {"key": "bank-name", "label": "开户银行", "type": "text", "max_length": 50},
    {"key": "bank-account", "label": "银行账号", "type": "text", "max_length": 30},
    {"key": "project-name", "label": "项目名称", "type": "text", "max_length": 100},
    {"key": "investment", "label": "总投资（万元）", "type": "number"},
    {"key": "start-date", "label": "计划开始日期", "type": "date"},
    {"key": "id-photo", "label": "近期免冠照片", "type": "file", "required": False},
    {"key": "application-scan", "label": "申请表扫描件", "type": "file"},
    {
        "key": "remarks",
        "label": "补充说明",
        "type": "textarea",
        "required": False,
        "max_length": 500,
        "help": "有其他需要说明的情况请在这里填写。",
    },
)
"""Form fields; one key always has one type, so bundles merge them without conflicts."""

BUNDLE_FIELDS = (
    {
        "key": "bundle-delivery",
        "label": "证照领取方式",
        "type": "choice",
        "choices": ["窗口统一领取", "邮寄送达"],
    },
    {"key": "bundle-contact-time", "label": "方便联系的时间", "type": "text", "required": False},
)
"""Bundle-level fields; no item uses these keys."""

FAQ: tuple[tuple[str, str], ...] = (
    ("可以委托他人办理吗？", "可以。代理人需携带授权委托书和本人居民身份证。"),
    ("怎样查询办理进度？", "可在青山区政务服务网“我的办件”中查询，也可拨打咨询电话。"),
    ("材料不齐全怎么办？", "窗口会一次性告知需要补正的全部材料，补齐后即可受理。"),
    ("能否在网上提交申请？", "可以在内蒙古政务服务网提交申请，按提示上传材料。"),
    ("办理结果可以邮寄吗？", "可以。在申请时选择邮寄送达并填写收件地址，邮费由政府承担。"),
    ("周末可以办理吗？", "部分窗口双休日上午开放，可提前在网上预约。"),
    ("老年人行动不便怎么办？", "可申请帮办代办服务，工作人员可以上门协助办理。"),
)
