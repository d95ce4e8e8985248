"""What the article in shared/seed says, as records (DESIGN.md, "Entities named in the article").

Honesty rules: only facts the article states; fields it does not give stay empty; positions
are estimates at the level of the town or campus, flagged approximate, and left empty where
not even that is known. Names serve as the keys that make `load_demo` idempotent.
"""

from datetime import date
from decimal import Decimal

ARTICLE = "《广州南沙加速构建细胞和基因产业生态体系》(中国南沙细胞和基因产业创新发展大会报道)"
# The day the records were checked against the article.
VERIFIED_ON = date(2026, 11, 25)
# Short names (`aliases`) are not from the article: they are abbreviations in general public use (e.g. 港科大 /
# HKUST for the Hong Kong University of Science and Technology, 华工 for 华南理工大学), and records that have
# them say so in their source.
ALIASES_SOURCE = "；简称为通行简称 (short names: well-known abbreviations in general use, not from the article)"

NANSHA_DEVELOPER_ZH = "广州南沙科技产业发展有限公司(南沙产发)"
NANSHA_DEVELOPER_EN = "Guangzhou Nansha Science & Technology Industry Development Co., Ltd."
NANSHA_DEVELOPER_NOTE = "南沙产发为南沙区属国企, 已构筑药物研发、医疗器械、细胞与基因等专业化产业空间矩阵, 开发规模超280万平方米(文中数据, 为公司整体而非单个园区)。"

PARKS = [
    {
        "name_zh": "横沥生物医药产业园",
        "name_en": "Hengli Biomedical Industrial Park",
        "kind": "industrial_park",
        "operator_zh": NANSHA_DEVELOPER_ZH,
        "operator_en": NANSHA_DEVELOPER_EN,
        "description_zh": "南沙产发在细胞与基因领域倾力打造的核心载体之一。" + NANSHA_DEVELOPER_NOTE,
        "focus_segments": ["cell-therapy", "gene-therapy"],
        "position": (22.745, 113.515),  # estimate: Hengli town
    },
    {
        "name_zh": "生命健康产业园区",
        "name_en": "Life and Health Industrial Park",
        "kind": "industrial_park",
        "operator_zh": NANSHA_DEVELOPER_ZH,
        "operator_en": NANSHA_DEVELOPER_EN,
        "description_zh": "南沙产发在细胞与基因领域倾力打造的核心载体之一。" + NANSHA_DEVELOPER_NOTE,
        "focus_segments": ["cell-therapy", "gene-therapy"],
    },
    {
        "name_zh": "广东医谷",
        "name_en": "Guangdong Medical Valley",
        "kind": "incubator",
        "level": "national",
        "description_zh": (
            "“国字号”科技企业孵化器, 打造“产业集群、产业服务、产业投资”产业生态系统, 为企业提供研发、生产、销售等全流程服务支持,"
            " 并与高校、科研机构开展深度合作。"
        ),
    },
    {
        "name_zh": "广东医谷二期",
        "name_en": "Guangdong Medical Valley Phase II",
        "kind": "incubator",
        "development_status": "planned",
        "parent": "广东医谷",
        "description_zh": "即将建设的平台项目之一(文中: “即将拔地而起”)。",
    },
    {
        "name_zh": "中大药谷",
        "kind": "industrial_park",
        "development_status": "planned",
        "description_zh": "即将建设的平台项目之一(文中: “即将拔地而起”)。",
    },
    {
        "name_zh": "南沙科创中心生命健康产业园",
        "kind": "science_park",
        "development_status": "planned",
        "description_zh": "即将建设的平台项目之一(文中: “即将拔地而起”)。",
    },
    {
        "name_zh": "广州产投大湾区数字经济和生命科学产业园",
        "kind": "industrial_park",
        "development_status": "planned",
        "description_zh": "即将建设的平台项目之一(文中: “即将拔地而起”)。",
    },
]

HOSPITALS = [
    {
        "name_zh": "广州市第一人民医院南沙医院",
        "name_en": "Nansha Hospital, Guangzhou First People's Hospital",
        "description_zh": "联合霖南基因开展输血依赖型β-地中海贫血基因治疗临床研究。",
        "position": (22.80, 113.53),  # estimate: Nansha district centre
    },
    {
        "name_zh": "中山大学附属第一(南沙)医院",
        "name_en": "The First Affiliated Hospital of Sun Yat-sen University (Nansha)",
        "aliases": ["中山一院", "中山一院南沙院区"],
        "grade": "3a",
        "description_zh": "文中列为布局建设中的三甲医院, 为细胞基因治疗提供临床资源和应用场景。",
        "position": (22.76, 113.54),  # estimate: Mingzhu Bay, Hengli
    },
]

RESEARCH_INSTITUTIONS = [
    {
        "name_zh": "香港科技大学(广州)",
        "name_en": "The Hong Kong University of Science and Technology (Guangzhou)",
        "aliases": ["港科大", "港科大(广州)", "HKUST", "HKUST(GZ)"],
        "kind": "university",
        "disciplines_zh": "生命科学, 生物医学工程",
        "disciplines_en": "Life sciences, biomedical engineering",
        "description_zh": "在生命科学与生物医学工程领域拥有先进科研设备和顶尖科研团队, 为细胞基因技术基础研究提供智力支持。",
        "position": (22.895, 113.478),  # estimate: Qingsheng campus
    },
    {
        "name_zh": "粤港澳大湾区精准医学研究院(广州)",
        "name_en": "Guangdong-Hong Kong-Macao Greater Bay Area Institute of Precision Medicine (Guangzhou)",
        "kind": "institute",
        "disciplines_zh": "精准医学, 基因诊断, 细胞治疗",
        "disciplines_en": "Precision medicine, genetic diagnosis, cell therapy",
        "description_zh": "专注精准医学研究, 在基因诊断、细胞治疗等方面开展前沿研究项目。",
        "segments": ["diagnostics", "cell-therapy"],
    },
    {
        "name_zh": "中山大学",
        "name_en": "Sun Yat-sen University",
        "aliases": ["中大", "SYSU"],
        "kind": "university",
        "description_zh": "与粤港澳医疗机构联合培养专业人才, 每年为南沙输送大量人才。",
        "position": (23.097, 113.298),  # estimate: South campus, Haizhu
    },
    {
        "name_zh": "华南理工大学",
        "name_en": "South China University of Technology",
        "aliases": ["华工", "SCUT"],
        "kind": "university",
        "description_zh": "与粤港澳医疗机构联合培养专业人才, 每年为南沙输送大量人才。",
        "position": (23.151, 113.344),  # estimate: Wushan campus
    },
]

PLATFORMS = [
    {
        "name_zh": "大湾区细胞与基因治疗产业公共服务中心",
        "name_en": "Greater Bay Area Cell and Gene Therapy Industry Public Service Centre",
        "services_zh": "细胞与基因产业的规范化管理、临床技术转化",
        "services_en": "Standardised management and clinical translation for the cell and gene industry",
        "description_zh": "在中国南沙细胞和基因产业创新发展大会上宣告启动。",
        "segments": ["cell-therapy", "gene-therapy"],
    },
]

ENTERPRISES = [
    {
        "name_zh": "霖南基因科技(广东)有限公司",
        "name_en": "Linnan Gene Technology (Guangdong) Co., Ltd.",
        "description_zh": "与广州市第一人民医院南沙医院联合开展输血依赖型β-地中海贫血基因治疗临床研究(自体干细胞基因修饰技术)。",
        "segments": ["gene-therapy"],
    },
]

POLICIES = [
    {
        "title_zh": "“十四五”生物经济发展规划",
        "title_en": "14th Five-Year Plan for Bioeconomy Development",
        "issuing_body_zh": "国家发展和改革委员会",
        "issuing_body_en": "National Development and Reform Commission",
        "level": "national",
        "summary_zh": "2022年5月印发, 明确发展基因诊疗、干细胞治疗、免疫细胞治疗等新技术。",
        "target_segments": ["gene-therapy", "stem-cell", "other-immune-cell", "diagnostics"],
    },
    {
        "title_zh": "产业结构调整指导目录(2024年本)",
        "title_en": "Catalogue for Guiding Industrial Structure Adjustment (2024 edition)",
        "level": "national",
        "summary_zh": "2024年2月新修订, 将基因与细胞治疗药物等列入鼓励类产业目录。",
        "target_segments": ["gene-therapy", "cell-therapy"],
    },
    {
        "title_zh": "关于支持广州南沙放宽市场准入与加强监管体制改革的意见",
        "title_en": "Opinions on Supporting Guangzhou Nansha in Relaxing Market Access and Strengthening Regulatory Reform",
        "level": "national",
        "summary_zh": (
            "2023年发布。准许细胞和基因治疗企业经卫生健康部门备案后, 可依托医疗机构开展限制类细胞移植治疗技术临床应用,"
            " 使南沙在细胞基因产业发展上先行先试。"
        ),
        "support_kinds": ["market-access"],
        "target_segments": ["cell-therapy", "gene-therapy"],
        "eligibility_notes_zh": "细胞和基因治疗企业, 经卫生健康部门备案后, 依托医疗机构开展。",
    },
]

CLINICAL_PROJECTS = [
    {
        "name_zh": "输血依赖型β-地中海贫血基因治疗临床研究",
        "name_en": "Gene therapy for transfusion-dependent β-thalassaemia",
        "indication_zh": "输血依赖型β-地中海贫血",
        "indication_en": "Transfusion-dependent β-thalassaemia",
        "technology_zh": "自体干细胞基因修饰技术",
        "technology_en": "Gene-modified autologous stem cells",
        "hospital": "广州市第一人民医院南沙医院",
        "enterprise": "霖南基因科技(广东)有限公司",
        "segments": ["gene-therapy"],
        "stage": "ongoing",
        "patients_treated": 12,
        "outcome_zh": "自今年3月开展以来, 已有12名患者成功植入自体造血干细胞并顺利出舱, 其中9人已康复出院, 血红蛋白水平恢复正常。",
        "outcome_en": "Since March, 12 patients have engrafted autologous haematopoietic stem cells; 9 have been discharged"
        " with normal haemoglobin levels.",
    },
    {
        "name_zh": "间充质干细胞治疗慢加急性肝衰竭",
        "name_en": "Mesenchymal stem cells for acute-on-chronic liver failure",
        "indication_zh": "慢加急性肝衰竭",
        "indication_en": "Acute-on-chronic liver failure",
        "technology_zh": "间充质干细胞",
        "technology_en": "Mesenchymal stem cells",
        "segments": ["stem-cell"],
        "stage": "ongoing",
        "patients_treated": 4,
        "outcome_zh": "已完成4例, 患者肝功能在短时间内均显著改善。",
        "outcome_en": "4 cases done; liver function improved markedly in a short time in all.",
    },
    {
        "name_zh": "戈谢氏病基因治疗临床试验",
        "name_en": "Gene therapy trial for Gaucher disease",
        "indication_zh": "戈谢氏病",
        "indication_en": "Gaucher disease",
        "segments": ["gene-therapy"],
        "stage": "ongoing",
    },
    {
        "name_zh": "CAR-T细胞治疗临床试验",
        "name_en": "CAR-T cell therapy trials",
        "technology_zh": "CAR-T细胞治疗",
        "technology_en": "CAR-T cell therapy",
        "segments": ["car-t"],
        "stage": "ongoing",
    },
    {
        "name_zh": "干细胞治疗关节损伤研究",
        "name_en": "Stem-cell therapy for joint injury",
        "indication_zh": "关节损伤",
        "indication_en": "Joint injury",
        "segments": ["stem-cell"],
        "stage": "filing",
    },
    {
        "name_zh": "干细胞治疗关节炎研究",
        "name_en": "Stem-cell therapy for arthritis",
        "indication_zh": "关节炎",
        "indication_en": "Arthritis",
        "segments": ["stem-cell"],
        "stage": "filing",
    },
    {
        "name_zh": "干细胞治疗急性脑卒中研究",
        "name_en": "Stem-cell therapy for acute stroke",
        "indication_zh": "急性脑卒中",
        "indication_en": "Acute stroke",
        "segments": ["stem-cell"],
        "stage": "filing",
    },
]

SIGNED_PROJECTS = [
    {
        "name_zh": "广东医谷大会签约项目(合计)",
        "name_en": "Projects signed by Guangdong Medical Valley at the conference (total)",
        "investor_zh": "基因治疗、免疫治疗和干细胞药品领域的领先企业(文中未具名)",
        "investor_en": "Leading gene-therapy, immunotherapy and stem-cell drug companies (not named in the source)",
        "park": "广东医谷",
        "amount_wan": Decimal("50000"),
        "expected_annual_output_wan": Decimal("100000"),
        "amounts_are_estimates": True,
        "segments": ["gene-therapy", "cell-therapy", "stem-cell"],
        "description_zh": "文中为多个签约项目的合计: 总投资额约5亿元, 年产值预计达到10亿元。签约日期文中未载明年份(大会于8月26日举办)。",
    },
]
