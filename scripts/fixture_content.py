"""The releases of the fixture archive: the single source of truth for the generated pages,
PDFs and Fixtures/expected.json (the values the end-to-end tests assert).

Release E1 reproduces the text of a real MSIT press release (KOGL Type 1, source: Ministry of
Science and ICT); every other release is written for these fixtures and is fictional.
"""

HOST = "www.msit.example"
BASE = f"https://{HOST}"

SEED_BODY = [
    "- Vice Minister of Science and ICT and NASA discuss cooperation on Artemis lunar exploration",
    "- Meets with Executive Secretary of the U.S. National Space Council and Korean researchers in NASA's Jet Propulsion Laboratory",
    "A delegation led by Vice Minister Cho SeongKyung of the Ministry of Science and ICT (\u201cMSIT\u201d; Minister Lee Jong-Ho) visited key U.S. space agencies including National Aeronautics and Space Administration (NASA), the National Space Council (NSpC), and NASA's Jet Propulsion Laboratory from January 23 to 24, in an effort to enhance closer space cooperation with the U.S. with the upcoming establishment of the Korea Aerospace Administration.",
    "Vice Minister Cho and NASA Deputy Administrator Pam Melroy discussed cooperation in the Artemis lunar exploration during their meeting on January 23. Their meeting is a follow-up to the signing of the Joint Statement of Intent for Cooperation on Space Exploration and Science between the MSIT and NASA in April 2023, that aims to explore specific research cooperation items and facilitate continuous discussions. Both sides agreed to seek more cooperation between NASA and the Korea Aerospace Administration once it is officially created.",
    "The two sides decided to explore long-term cooperation in areas such as lunar rover and lunar communication network by integrating Korea's strengths in mobility, secondary batteries, 5G, autonomous driving, and nuclear technology into space exploration.",
    "For further information, please contact the Public Relations Division (Phone: +82-44-202-4034, E-mail: msitmedia@korea.kr) of the Ministry of Science and ICT.",
    "Please refer to the attached PDF.",
]

# Attachments live behind the download endpoint; `file` is the generator's recipe.
ATTACHMENTS = {
    "FILE_000000000812001": dict(name="KASA_NASA_Space_Cooperation.pdf", kind="pdf-en-space"),
    "FILE_000000000812002": dict(name="2024_RnD_Budget_Plan.pdf", kind="pdf-en-budget"),
    "FILE_000000000812003": dict(name="2024_RnD_Budget_Tables.hwpx", kind="hwpx"),
    "FILE_000000000812004": dict(name="Digital_Bill_of_Rights.pdf", kind="missing"),
    "FILE_000000000812005": dict(name="Quantum_Strategy_Summary.pdf", kind="corrupt"),
    "FILE_000000000812006": dict(name="보도자료_인공지능_반도체.pdf", kind="pdf-ko-ai"),
    "FILE_000000000812007": dict(name="보도자료_6G_표준.pdf", kind="pdf-ko-6g"),
    "FILE_000000000812008": dict(name="Public_WiFi_Rollout_Plan.docx", kind="docx"),
    "FILE_000000000812009": dict(name="디지털포용_세부계획.hwp", kind="hwp"),
    "FILE_000000000812010": dict(name="Public_WiFi_Annexes.zip", kind="zip"),
    # The same release as HWPX beside its PDF, as Korean ministries attach both.
    "FILE_000000000812011": dict(name="보도자료_인공지능_반도체.hwpx", kind="hwpx-ko-ai"),
}

# Non-PDF attachments: their text (paragraphs, then table rows) and metadata.
DOCX_TEXT = dict(
    title="Public Wi-Fi Rollout Plan 2024", author="Network Policy Division",
    paragraphs=["Public Wi-Fi Rollout Plan 2024",
                "Access points will be installed on 2,000 intercity buses and in 350 urban parks.",
                "Older equipment is replaced with Wi-Fi 6 to relieve congestion in crowded places."],
    table=[["Site", "Access points"], ["Intercity buses", "2,000"], ["Urban parks", "350"]],
    footer="Ministry of Science and ICT - Network Policy Division")
HWP_TEXT = dict(
    title="디지털 포용 세부 계획", author="최유진",
    paragraphs=["디지털 포용 세부 계획", "키오스크 접근성 기준을 상반기에 마련하고 디지털 배움터를 전국 1,000곳에서 운영한다."],
    table=[["과제", "일정"], ["키오스크 접근성 기준", "2024년 6월"], ["디지털 배움터 확대", "2024년 12월"]])
ZIP_MEMBER_TEXT = "공공 와이파이 설치 대상 지역 목록은 부록 표를 참고한다."

def download(atch, sn=1):
    return f"/bbs/download.do?atchFileId={atch}&fileSn={sn}"

RELEASES = [
    # ---- English section (UTF-8) ----
    dict(id="E1", section="eng", seq=3184064, encoding="utf-8",
         title="The Korea Aerospace Administration and NASA Initiates Space Cooperation",
         date_text="2024-01-25", date="2024-01-25",
         dept="Space Policy Division", author="Kim Jiwon", contact="+82-44-202-4612",
         body=SEED_BODY, attachments=["FILE_000000000812001"]),
    dict(id="E2", section="eng", seq=3184101, encoding="utf-8",
         title="MSIT Finalises the 2024 National R&D Budget Allocation Plan",
         date_text="2024.01.30", date="2024-01-30",
         dept="R&D Budget Division", author="Park Seoyeon", contact="+82-44-202-6712",
         body=[
             "The Ministry of Science and ICT announced on January 30 that the 2024 national research and development budget of 26.5 trillion won will be allocated across 1,142 programmes.",
             "The plan gives priority to twelve national strategic technologies, including semiconductors, advanced batteries, quantum and space, which together receive 4.7 trillion won.",
             "Support for basic research by early-career scientists continues, and a new fund will let outstanding researchers carry unspent grants into the following year.",
             "The detailed allocation tables are attached.",
         ], attachments=["FILE_000000000812002", "FILE_000000000812003"]),
    dict(id="E3", section="eng", seq=3184155, encoding="utf-8",
         title="Government Proposes a Digital Bill of Rights for Public Consultation",
         date_text="February 6, 2024", date="2024-02-06",
         dept="Digital Society Policy Division", author="Lee Hyunwoo", contact="+82-44-202-6150",
         body=[
             "The government unveiled a draft Digital Bill of Rights that sets out the principles of freedom, fairness, safety and solidarity for the digital age.",
             "Citizens may submit comments on the draft until the end of March, after which the final charter will be announced.",
         ], attachments=["FILE_000000000812004"]),
    dict(id="E4", section="eng", seq=3184190, encoding="utf-8",
         title="Korea Launches a National Quantum Strategy Committee",
         date_text="14 February 2024", date="2024-02-14",
         dept="Quantum Technology Division", author="Choi Yuna", contact="+82-44-202-4921",
         body=[
             "The National Quantum Strategy Committee held its first meeting on February 14 and adopted a roadmap for quantum computing, communication and sensing.",
             "The committee will review progress every year and coordinate the quantum programmes of nine ministries.",
         ], attachments=["FILE_000000000812005"]),
    dict(id="E5", section="eng", seq=3184233, encoding="utf-8",
         title="Korea and the United States Hold the Fifth Civil Space Dialogue",
         date_text="2024-02-21", date="2024-02-21",
         dept="Space Policy Division", author="Kim Jiwon", contact="+82-44-202-4612",
         body=[
             "Delegations from Korea and the United States met in Seoul for the fifth Civil Space Dialogue and reviewed joint work on lunar exploration, satellite navigation and space situational awareness.",
             "The background paper distributed at the January meetings with NASA is attached again for reference.",
         ], attachments=["FILE_000000000812001"]),
    dict(id="E6", section="eng", seq=3184270, encoding="utf-8",
         title="Public Wi-Fi Expanded to 2,000 More Buses and Parks",
         date_text="2024-02-28", date="2024-02-28",
         dept="Network Policy Division", author="Jung Minho", contact="+82-44-202-6630",
         body=[
             "Free public Wi-Fi will be installed on 2,000 additional intercity buses and in 350 urban parks this year, bringing the total number of public access points to 59,000.",
             "Older access points will be replaced with Wi-Fi 6 equipment to improve speeds in crowded places.",
         ], attachments=["FILE_000000000812008", "FILE_000000000812010"]),
    dict(id="E7", section="eng", seq=3184302, encoding="utf-8",
         title="Science and ICT Ministry Opens Applications for the 2024 Young Scientist Awards",
         date_text="2024-03-05", date="2024-03-05",
         dept="Science and Technology Talent Division", author="Han Soojin", contact="+82-44-202-4850",
         body=[
             "Applications for the 2024 Young Scientist Awards are open until April 12. Researchers under the age of 40 working in Korea in any field of natural science or engineering may apply.",
             "Five laureates will each receive a research grant of 50 million won.",
         ], attachments=[]),
    # ---- Korean section (EUC-KR and UTF-8) ----
    dict(id="K1", section="kor", seq=3185011, encoding="euc-kr",
         title="인공지능 반도체 산업 육성 전략 발표",
         date_text="2024년 1월 25일", date="2024-01-25",
         dept="인공지능기반정책과", author="김민수", contact="044-202-6271",
         body=[
             "과학기술정보통신부는 1월 25일 인공지능 반도체 산업을 세계 최고 수준으로 키우기 위한 육성 전략을 발표했다.",
             "정부는 2027년까지 총 8,262억 원을 투자해 저전력 인공지능 반도체를 개발하고, 국산 인공지능 반도체를 데이터센터에 적용하는 실증 사업을 추진한다.",
             "자세한 내용은 첨부된 보도자료를 참고하시기 바랍니다.",
         ], attachments=["FILE_000000000812006", "FILE_000000000812011"]),
    dict(id="K2", section="kor", seq=3185044, encoding="euc-kr",
         title="6G 국제 표준화 선도를 위한 민관 협의체 출범",
         date_text="2024. 1. 30.", date="2024-01-30",
         dept="전파정책기획과", author="이서연", contact="044-202-4930",
         body=[
             "6세대 이동통신 국제 표준을 선도하기 위한 민관 협의체가 1월 30일 공식 출범했다.",
             "협의체에는 통신사, 장비 제조사, 대학과 연구기관 등 40여 개 기관이 참여하며, 국제전기통신연합 표준화 회의에 공동으로 대응한다.",
         ], attachments=["FILE_000000000812007"]),
    # Linked with a newsletter tracking parameter (the mirror keeps the name as linked).
    dict(id="K3", section="kor", seq=3185090, encoding="utf-8",
         link_suffix="&utm_source=newsletter", file_suffix="&utm_source=newsletter",
         title="과학기술 연구자 처우 개선 방안 마련",
         date_text="2024-02-07", date="2024-02-07",
         dept="연구기관지원팀", author="박지훈", contact="044-202-4791",
         body=[
             "정부는 출연연구기관 연구자의 정년 후 연구 지속을 지원하고, 우수 연구자의 보상을 확대하는 처우 개선 방안을 마련했다.",
             "이번 방안은 현장 연구자 간담회에서 제기된 의견을 반영한 것이다.",
         ], attachments=[]),
    # UTF-8 bytes under a stale <meta charset=euc-kr>: must not be garbled.
    dict(id="K4", section="kor", seq=3185121, encoding="utf-8", meta_charset="euc-kr",
         title="디지털 포용 정책 협의회 개최",
         date_text="2024.02.15", date="2024-02-15",
         dept="디지털포용정책팀", author="최유진", contact="044-202-6182",
         body=[
             "고령층과 장애인의 디지털 접근성을 높이기 위한 디지털 포용 정책 협의회가 2월 15일 열렸다.",
             "협의회는 키오스크 접근성 기준과 디지털 배움터 운영 계획을 논의했다.",
         ], attachments=["FILE_000000000812009"]),
    dict(id="K5", section="kor", seq=3185166, encoding="euc-kr",
         title="우주항공청 설립 준비 현황 점검",
         date_text="2024년 2월 22일", date="2024-02-22",
         dept="우주항공청설립추진단", author="정하늘", contact="044-202-4600",
         body=[
             "과학기술정보통신부는 5월 개청을 앞둔 우주항공청의 설립 준비 현황을 점검했다.",
             "청사 마련, 인력 채용, 주요 사업 이관 계획이 차질 없이 진행되고 있다.",
             "참고로 1월 미국 방문 결과 자료를 다시 첨부한다.",
         ], attachments=["FILE_000000000812001"]),
    dict(id="K6", section="kor", seq=3185203, encoding="utf-8",
         title="2024년 정보통신방송 기술개발 사업 공고",
         date_text="2024년 3월 4일", date="2024-03-04",
         dept="정보통신산업정책과", author="한도윤", contact="044-202-6220",
         body=[
             "2024년 정보통신방송 기술개발 사업의 신규 과제를 공고한다.",
             "신청은 3월 4일부터 4월 3일까지 온라인으로 접수한다.",
         ], attachments=[]),
    dict(id="K7", section="kor", seq=3185240, encoding="euc-kr",
         title="국가 초고성능컴퓨팅 혁신 전략 수립",
         date_text="2024. 3. 12.", date="2024-03-12",
         dept="연구인프라정책과", author="오세훈", contact="044-202-4560",
         body=[
             "정부는 2030년까지 세계 5위 수준의 초고성능컴퓨팅 역량을 확보하기 위한 혁신 전략을 수립했다.",
             "국가센터의 6호기 도입과 함께 분야별 전문센터를 확대한다.",
         ], attachments=[]),
    # K1 re-posted under a second URL (a new article number) with the same content.
    dict(id="K1-REPOST", section="kor", seq=3185255, encoding="euc-kr", repost_of="K1"),
]

# The PDFs' text, by recipe. Each page is a list of paragraphs.
PDF_TEXTS = {
    "pdf-en-space": dict(
        title="KASA and NASA Initiate Space Cooperation", author="Ministry of Science and ICT",
        subject="Press release", keywords="space; NASA; Artemis", created="2024-01-25T09:00:00+09:00",
        font="DejaVu Sans",
        pages=[[
            "PRESS RELEASE",
            "The Korea Aerospace Administration and NASA Initiate Space Cooperation",
            "Vice Minister Cho SeongKyung visited NASA Headquarters, the National Space Council and the Jet Propulsion Laboratory from January 23 to 24, 2024.",
            "Both sides agreed to seek more cooperation between NASA and the Korea Aerospace Administration once it is officially created.",
        ], [
            "Areas for long-term cooperation",
            "Lunar rover and lunar communication network.",
            "Deep space network and Mars rover missions.",
            "Contact: Space Policy Division, +82-44-202-4612.",
        ]]),
    "pdf-en-budget": dict(
        title="2024 National R&D Budget Allocation Plan", author="R&D Budget Division",
        subject="Budget", keywords="R&D; budget", created="2024-01-30T14:30:00+09:00",
        font="DejaVu Sans",
        pages=[[
            "2024 National R&D Budget Allocation Plan",
            "Total budget: 26.5 trillion won across 1,142 programmes.",
            "Twelve national strategic technologies receive 4.7 trillion won, led by semiconductors, advanced batteries, quantum and space.",
            "Basic research by early-career scientists keeps its share, and a new fund lets outstanding researchers carry unspent grants into the following year.",
            "Ministries submit their detailed execution plans by the end of February, and the first quarter allocation is released in March.",
        ]]),
    # The budget plan exported again by another tool, with one figure corrected: a
    # near-duplicate of pdf-en-budget (different bytes and metadata). Not linked from the
    # archive; the cross-run duplicate test links it.
    "pdf-en-budget-reexport": dict(
        title="2024 R&D Budget Plan (final)", author="Budget Office",
        subject="Budget", keywords="R&D; budget", created="2024-02-05T08:00:00+09:00",
        font="DejaVu Serif",
        pages=[[
            "2024 National R&D Budget Allocation Plan",
            "Total budget: 26.5 trillion won across 1,143 programmes.",
            "Twelve national strategic technologies receive 4.7 trillion won, led by semiconductors, advanced batteries, quantum and space.",
            "Basic research by early-career scientists keeps its share, and a new fund lets outstanding researchers carry unspent grants into the following year.",
            "Ministries submit their detailed execution plans by the end of February, and the first quarter allocation is released in March.",
        ]]),
    "pdf-ko-ai": dict(
        title="인공지능 반도체 산업 육성 전략", author="과학기술정보통신부",
        subject="보도자료", keywords="인공지능; 반도체", created="2024-01-25T10:00:00+09:00",
        font="NanumGothic",
        pages=[[
            "보도자료",
            "인공지능 반도체 산업 육성 전략 발표",
            "정부는 2027년까지 총 8,262억 원을 투자한다.",
            "저전력 인공지능 반도체 개발과 데이터센터 실증 사업을 추진한다.",
        ]]),
    "pdf-ko-6g": dict(
        title="6G 국제 표준화 민관 협의체", author="전파정책기획과",
        subject="보도자료", keywords="6G; 표준", created="2024-01-30T11:00:00+09:00",
        font="NanumGothic",
        pages=[[
            "6G 국제 표준화 선도를 위한 민관 협의체 출범",
            "통신사, 장비 제조사, 대학과 연구기관 등 40여 개 기관이 참여한다.",
        ]]),
}
