"""Names of the synthetic district's bundles (一件事一次办) and where their sub-items come from.

Columns: id | name | areas | audience | typical size | item names it is made of | combined licence.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BundleName:
    id: str
    name: str
    areas: tuple[str, ...]
    """Areas whose published items are preferred as sub-items."""
    audience: str
    size: int
    """Typical number of sub-items; bigger bundles are more likely to get extra sub-items."""
    keywords: tuple[str, ...] = ()
    """Item names (prefixes) this bundle is made of, in order of preference."""
    licence: str | None = None
    """Combined licence name of a 一业一证 bundle."""


def _rows(text: str) -> tuple[BundleName, ...]:
    rows = []
    for line in text.strip().splitlines():
        parts = [part.strip() for part in line.split("|")]
        bid, name, areas, audience, size, keywords = parts[:6]
        licence = parts[6] if len(parts) > 6 else None
        rows.append(
            BundleName(
                bid,
                name,
                tuple(areas.split()),
                audience,
                int(size),
                tuple(keywords.split()),
                licence,
            )
        )
    return tuple(rows)


BUNDLE_NAMES = _rows(
    """
    newborn | 新生儿出生一件事 | health public-security medical-insurance hrss | 自然人 | 7 | 出生医学证明签发 出生登记 社会保障卡申领 预防接种服务 孕产妇健康管理 生育保险待遇核准 参保信息查询
    open-restaurant | 开办餐饮店一件事 | market safety | 法人 | 3 | 个体工商户设立登记 食品经营许可 公众聚集场所投入使用、营业前消防安全检查
    start-company | 企业开办一件事 | market economy | 法人 | 4 | 企业设立登记 公章刻制备案 就业登记 企业信用信息公示协助
    retirement | 退休一件事 | hrss medical-insurance | 自然人 | 4 | 企业职工基本养老保险待遇申领 个人权益记录查询打印 医保关系转移接续 参保信息查询
    after-death | 个人身后一件事 | civil public-security hrss medical-insurance | 自然人 | 5 | 殡葬服务 户籍证明开具 个人权益记录查询打印 参保信息查询 婚姻登记档案查询
    clinic-filing | 诊所备案一件事 | health market | 法人 | 3 | 诊所备案 医师执业注册 个体工商户设立登记
    low-risk-food | 低风险食品经营一业一证 | market | 法人 | 2 | 个体工商户设立登记 食品经营许可 | 食品经营行业综合许可证
    open-convenience-store | 开办便利店一件事 | market | 法人 | 3 | 个体工商户设立登记 食品经营许可 小餐饮经营许可 | 便利店行业综合许可证
    open-pharmacy | 开办药店一件事 | market medical-insurance | 法人 | 3 | 企业设立登记 药品零售企业许可 定点医药机构申请受理 | 药店行业综合许可证
    open-salon | 开办美容美发店一件事 | health market | 法人 | 2 | 个体工商户设立登记 公共场所卫生许可 | 美容美发行业综合许可证
    open-internet-cafe | 开办网吧一件事 | culture safety market | 法人 | 3 | 企业设立登记 互联网上网服务营业场所经营许可 公众聚集场所投入使用、营业前消防安全检查 | 网吧行业综合许可证
    open-hotel | 开办宾馆一件事 | public-security health safety | 法人 | 3 | 企业设立登记 旅馆业特种行业许可 公共场所卫生许可 公众聚集场所投入使用、营业前消防安全检查 | 宾馆行业综合许可证
    open-gym | 开办健身房一件事 | culture market | 法人 | 2 | 个体工商户设立登记 高危险性体育项目经营许可 | 健身房行业综合许可证
    open-bookstore | 开办书店一件事 | culture market | 法人 | 2 | 个体工商户设立登记 出版物零售单位设立 | 书店行业综合许可证
    open-ktv | 开办歌舞娱乐场所一件事 | culture safety | 法人 | 3 | 企业设立登记 娱乐场所经营许可 公众聚集场所投入使用、营业前消防安全检查 | 歌舞娱乐行业综合许可证
    open-bathhouse | 开办洗浴场所一件事 | health safety | 法人 | 2 | 企业设立登记 公共场所卫生许可 公众聚集场所投入使用、营业前消防安全检查 | 洗浴行业综合许可证
    open-supermarket | 开办超市一件事 | market | 法人 | 3 | 企业设立登记 食品经营许可 第二类医疗器械经营备案 | 超市行业综合许可证
    open-kindergarten | 开办民办幼儿园一件事 | education safety | 法人 | 3 | 幼儿园设立审批 民办非企业单位成立登记 公众聚集场所投入使用、营业前消防安全检查
    open-training-school | 开办培训学校一件事 | education | 法人 | 2 | 民办学校办学许可 民办非企业单位成立登记
    open-nursing-home | 开办养老机构一件事 | civil safety market | 法人 | 3 | 养老机构备案 民办非企业单位成立登记 公众聚集场所投入使用、营业前消防安全检查
    open-swimming-pool | 开办游泳馆一件事 | culture health | 法人 | 2 | 高危险性体育项目经营许可 公共场所卫生许可 | 游泳场所行业综合许可证
    open-travel-agency | 开办旅行社一件事 | culture market | 法人 | 2 | 企业设立登记 旅行社设立许可
    open-car-repair | 开办汽车维修店一件事 | transport market | 法人 | 2 | 个体工商户设立登记 机动车维修经营备案
    open-freight | 开办货运企业一件事 | transport market | 法人 | 2 | 企业设立登记 道路货物运输经营许可
    open-taxi | 出租汽车经营一件事 | transport | 法人 | 2 | 出租汽车经营许可 企业设立登记
    open-farm-store | 开办农资店一件事 | agriculture market | 法人 | 2 | 个体工商户设立登记 农药经营许可 农作物种子生产经营许可 | 农资经营行业综合许可证
    open-vet-pharmacy | 开办兽药店一件事 | agriculture market | 法人 | 2 | 个体工商户设立登记 兽药经营许可
    open-fireworks | 烟花爆竹零售一件事 | safety market | 法人 | 2 | 个体工商户设立登记 烟花爆竹经营（零售）许可
    open-gas | 燃气经营一件事 | housing safety | 法人 | 2 | 企业设立登记 燃气经营许可
    open-printing | 开办印刷厂一件事 | culture market | 法人 | 2 | 企业设立登记 出版物零售单位设立
    company-change | 企业变更一件事 | market economy | 法人 | 2 | 企业设立登记（变更） 公章刻制备案
    company-closure | 企业注销一件事 | market economy hrss | 法人 | 3 | 企业设立登记（注销） 公章刻制备案 就业登记
    construction-permit | 工程建设项目开工一件事 | housing natural-resources | 法人 | 4 | 建设用地规划许可 建设工程规划许可 建筑工程施工许可证核发 房屋建筑和市政基础设施工程施工图设计文件审查
    completion-acceptance | 工程竣工验收一件事 | housing natural-resources environment | 法人 | 3 | 建设工程竣工验收备案 不动产首次登记 建设项目环境影响登记表备案
    utility-connection | 水电气暖报装一件事 | housing urban | 法人 | 3 | 挖掘城市道路审批 临时占用城市道路审批 占用、挖掘公路许可
    outdoor-advert | 户外广告设置一件事 | urban | 法人 | 2 | 设置大型户外广告审批 临时占用城市道路审批
    road-occupation | 占道施工一件事 | urban transport | 法人 | 2 | 临时占用城市道路审批 挖掘城市道路审批 占用、挖掘公路许可
    project-environment | 建设项目环评一件事 | environment economy | 法人 | 2 | 建设项目环境影响报告表审批 企业投资项目备案
    investment-project | 投资项目审批一件事 | economy natural-resources | 法人 | 3 | 企业投资项目备案 企业投资项目核准 建设用地规划许可
    new-home-delivery | 新建商品房交房即交证一件事 | natural-resources housing | 自然人 | 2 | 不动产首次登记 不动产转移登记
    second-hand-home | 二手房转移登记一件事 | natural-resources | 自然人 | 2 | 不动产转移登记 不动产抵押登记 不动产登记资料查询
    mortgage | 不动产抵押登记一件事 | natural-resources | 自然人 | 2 | 不动产抵押登记 不动产登记资料查询
    public-rental | 公租房申请一件事 | housing street | 自然人 | 2 | 公共租赁住房资格审核 住房租赁补贴发放 居住证明开具
    school-enrolment | 入学一件事 | education public-security | 自然人 | 2 | 适龄儿童入学登记 义务教育招生入学服务 户籍证明开具
    graduate-employment | 高校毕业生就业一件事 | hrss education | 自然人 | 3 | 就业登记 职业介绍 社会保障卡申领
    flexible-employment | 灵活就业一件事 | hrss medical-insurance | 自然人 | 2 | 就业登记 居民养老保险参保登记 参保信息查询
    unemployment | 失业一件事 | hrss medical-insurance | 自然人 | 3 | 失业登记 失业保险金申领 医保关系转移接续
    start-own-business | 个人创业一件事 | hrss market | 自然人 | 3 | 个体工商户设立登记 就业登记 职业技能提升补贴申领
    work-injury | 工伤认定一件事 | hrss | 自然人 | 2 | 工伤认定 劳动能力鉴定申请受理
    marriage | 结婚登记一件事 | civil public-security | 自然人 | 2 | 婚姻登记 户口迁移
    household-move | 户口迁移一件事 | public-security education | 自然人 | 2 | 户口迁移 居民身份证申领 适龄儿童入学登记
    residence-permit | 居住证办理一件事 | public-security street | 自然人 | 2 | 居住证签发 居住证明开具
    military-service | 参军入伍一件事 | veterans public-security | 自然人 | 2 | 户籍证明开具 退役军人就业创业服务
    veteran-return | 退役军人服务一件事 | veterans hrss | 自然人 | 3 | 退役士兵安置 退役军人优待证申领 就业登记
    disabled-services | 残疾人服务一件事 | disability civil | 自然人 | 3 | 残疾人证办理 残疾人两项补贴发放 残疾人辅助器具适配补贴
    elderly-care | 老年人优待一件事 | civil street | 自然人 | 2 | 老年人优待证办理 高龄津贴发放 老年人助餐服务
    hardship-assistance | 困难群众救助一件事 | civil street | 自然人 | 3 | 最低生活保障审核确认 临时救助 最低生活保障申请受理
    medical-reimbursement | 医疗费用报销一件事 | medical-insurance | 自然人 | 2 | 医疗费用手工报销 参保信息查询
    chronic-disease | 门诊慢特病一件事 | medical-insurance health | 自然人 | 2 | 门诊慢特病待遇认定 医疗费用手工报销
    out-of-town-care | 异地就医一件事 | medical-insurance | 自然人 | 2 | 异地就医备案 医保关系转移接续
    maternity | 生育津贴一件事 | medical-insurance health | 自然人 | 2 | 生育保险待遇核准 孕产妇健康管理
    pension-transfer | 社保关系转移一件事 | hrss medical-insurance | 自然人 | 2 | 医保关系转移接续 个人权益记录查询打印
    dog-registration | 养犬登记一件事 | public-security agriculture | 自然人 | 2 | 犬只登记
    funeral | 殡葬服务一件事 | civil | 自然人 | 2 | 殡葬服务 户籍证明开具
    teacher-licence | 教师资格认定一件事 | education health | 自然人 | 2 | 教师资格认定
    doctor-registration | 医师执业注册一件事 | health | 自然人 | 2 | 医师执业注册 医疗机构执业登记
    nurse-registration | 护士执业注册一件事 | health | 自然人 | 2 | 护士执业注册
    social-organisation | 社会组织成立一件事 | civil | 法人 | 2 | 社会团体成立登记 民办非企业单位成立登记
    water-intake | 取水许可一件事 | agriculture | 法人 | 2 | 取水许可
    pollution-permit | 排污许可一件事 | environment | 法人 | 2 | 排污许可 建设项目环境影响登记表备案
    hazardous-chemicals | 危险化学品经营一件事 | safety market | 法人 | 2 | 危险化学品经营许可 企业设立登记
    performance | 营业性演出一件事 | culture public-security | 法人 | 2 | 营业性演出许可
    labour-dispatch | 劳务派遣经营一件事 | hrss market | 法人 | 2 | 劳务派遣经营许可 企业设立登记
    hr-services | 人力资源服务一件事 | hrss market | 法人 | 2 | 人力资源服务许可 企业设立登记
    foreign-trade | 外贸企业开办一件事 | economy market | 法人 | 2 | 对外贸易经营者备案 企业设立登记
    recycling | 再生资源回收一件事 | economy | 法人 | 2 | 再生资源回收经营者备案 企业设立登记
    medical-institution | 医疗机构设置一件事 | health | 法人 | 3 | 医疗机构执业登记 放射诊疗许可 医师执业注册
    radiology | 放射诊疗一件事 | health environment | 法人 | 2 | 放射诊疗许可 建设项目环境影响报告表审批
    farmers-cooperative | 农民专业合作社开办一件事 | market agriculture | 法人 | 2 | 农民专业合作社登记 耕地地力保护补贴发放
    """
)


def bundle_names(count: int) -> list[BundleName]:
    """The first ``count`` bundle names; beyond the list, numbered batches of the same names."""
    names = []
    for index in range(count):
        base = BUNDLE_NAMES[index % len(BUNDLE_NAMES)]
        batch = index // len(BUNDLE_NAMES)
        if batch:
            base = BundleName(
                f"{base.id}-{batch + 1}",
                f"{base.name}（第{batch + 1}批）",
                base.areas,
                base.audience,
                base.size,
                base.keywords,
                base.licence,
            )
        names.append(base)
    return names
