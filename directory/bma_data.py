"""The Bangkok Metropolitan Administration as the directory loader builds it.

Names follow the BMA's published structure (กรุงเทพมหานคร: สำนัก, สำนักงานเขต ๕๐ เขต,
ส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร) and the addressing of the reference directive
(ที่ กท ๐๔๐๑/ว ๕๑). Document codes are filled only where a source shows them: the
institute's กท ๐๔๐๑ is printed on the reference memo. Every other code is left empty so that
numbering for that unit stops with a message asking an administrator to set it, rather than
printing an invented number on an official letter.

The deputy and assistant permanent secretaries are posts of their own; each is booked in by
its own secretariat so that a directive to "รองปลัดกรุงเทพมหานคร" reaches every one of them.
How many such posts are filled changes with each reorganisation; the counts below are the
usual establishment and can be edited in the admin.
"""

from __future__ import annotations

DEPUTY_COUNT = 5
ASSISTANT_COUNT = 4

# (key, name, short name)
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("dept-strategy", "สำนักยุทธศาสตร์และประเมินผล", "สยป."),
    ("dept-medical", "สำนักการแพทย์", "สนพ."),
    ("dept-health", "สำนักอนามัย", "สนอ."),
    ("dept-education", "สำนักการศึกษา", "สนศ."),
    ("dept-public-works", "สำนักการโยธา", "สนย."),
    ("dept-drainage", "สำนักการระบายน้ำ", "สนน."),
    ("dept-environment", "สำนักสิ่งแวดล้อม", "สสล."),
    ("dept-traffic", "สำนักการจราจรและขนส่ง", "สจส."),
    ("dept-fire", "สำนักป้องกันและบรรเทาสาธารณภัย", "สปภ."),
    ("dept-city-law", "สำนักเทศกิจ", "สนท."),
    ("dept-social", "สำนักพัฒนาสังคม", "สพส."),
    ("dept-culture", "สำนักวัฒนธรรม กีฬาและการท่องเที่ยว", "สวท."),
    ("dept-finance", "สำนักการคลัง", "สนค."),
    ("dept-planning", "สำนักการวางผังและพัฒนาเมือง", "สวพ."),
    ("dept-budget", "สำนักงบประมาณกรุงเทพมหานคร", "สงม."),
]

# Units of the Office of the Permanent Secretary (ส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร).
OPS_UNITS: list[tuple[str, str, str]] = [
    ("ops-secretariat", "สำนักงานเลขานุการสำนักปลัดกรุงเทพมหานคร", "ส.ส.ป."),
    ("ops-central", "กองกลาง", "กก."),
    ("ops-personnel", "กองการเจ้าหน้าที่", "กจ."),
    ("ops-inspectors", "กองงานผู้ตรวจราชการ", "กผ."),
    ("ops-foreign", "สำนักงานการต่างประเทศ", "สกต."),
    ("ops-pr", "สำนักงานประชาสัมพันธ์", "สปส."),
    ("ops-legal", "สำนักงานกฎหมายและคดี", "สกค."),
    ("ops-reform", "สำนักงานพัฒนาระบบราชการกรุงเทพมหานคร", "สพร."),
    ("ops-hrd", "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร", "สพข."),
]

# The institute's own divisions; the acting director holds the strategy division's post.
HRD_DIVISIONS: list[tuple[str, str, str]] = [
    ("hrd-admin", "ส่วนอำนวยการ", "สอก."),
    ("hrd-strategy", "ส่วนยุทธศาสตร์การพัฒนา", "ส่วนยุทธศาสตร์ฯ"),
    ("hrd-executive", "ส่วนพัฒนานักบริหาร", "สพน."),
    ("hrd-competency", "ส่วนพัฒนาสมรรถนะ", "สพส."),
]

# The fifty districts (สำนักงานเขต), in the BMA's customary order.
DISTRICTS: list[str] = [
    "พระนคร",
    "ป้อมปราบศัตรูพ่าย",
    "ปทุมวัน",
    "สัมพันธวงศ์",
    "บางรัก",
    "ยานนาวา",
    "สาทร",
    "บางคอแหลม",
    "ดุสิต",
    "บางซื่อ",
    "พญาไท",
    "ราชเทวี",
    "ห้วยขวาง",
    "ดินแดง",
    "บางกะปิ",
    "วังทองหลาง",
    "บึงกุ่ม",
    "สะพานสูง",
    "คันนายาว",
    "ลาดพร้าว",
    "จตุจักร",
    "บางเขน",
    "ดอนเมือง",
    "หลักสี่",
    "สายไหม",
    "คลองเตย",
    "วัฒนา",
    "พระโขนง",
    "บางนา",
    "สวนหลวง",
    "ประเวศ",
    "มีนบุรี",
    "คลองสามวา",
    "หนองจอก",
    "ลาดกระบัง",
    "คลองสาน",
    "ธนบุรี",
    "บางกอกใหญ่",
    "บางกอกน้อย",
    "บางพลัด",
    "ตลิ่งชัน",
    "ทวีวัฒนา",
    "ภาษีเจริญ",
    "บางแค",
    "หนองแขม",
    "บางขุนเทียน",
    "บางบอน",
    "จอมทอง",
    "ราษฎร์บูรณะ",
    "ทุ่งครุ",
]

# Offices addressed by name in the reference directive's เรียน line.
# (unit key, unit name, short, position key, position title)
NAMED_OFFICES: list[tuple[str, str, str, str, str]] = [
    ("bcsc", "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร", "สำนักงาน ก.ก.", "head-bcsc", "หัวหน้าสำนักงาน ก.ก."),
    ("inspectors", "สำนักงานผู้ตรวจราชการกรุงเทพมหานคร", "ผต.กทม.", "chief-inspector", "หัวหน้าผู้ตรวจราชการกรุงเทพมหานคร"),
    ("council-secretariat", "สำนักงานเลขานุการสภากรุงเทพมหานคร", "สนส.", "council-secretary", "เลขานุการสภากรุงเทพมหานคร"),
    (
        "governor-secretariat",
        "สำนักงานเลขานุการผู้ว่าราชการกรุงเทพมหานคร",
        "สลก.",
        "governor-secretary",
        "เลขานุการผู้ว่าราชการกรุงเทพมหานคร",
    ),
    (
        "commerce",
        "สำนักงานการพาณิชย์ของกรุงเทพมหานคร",
        "สพณ.",
        "commerce-director",
        "ผู้อำนวยการสำนักงานการพาณิชย์ของกรุงเทพมหานคร",
    ),
]

# The recipient groups, in the order the reference directive lists them.
# (key, name, selector of position keys)
RECIPIENT_GROUPS: list[tuple[str, str]] = [
    ("deputy-permanent-secretaries", "รองปลัดกรุงเทพมหานคร"),
    ("department-directors", "ผู้อำนวยการสำนัก"),
    ("head-bcsc", "หัวหน้าสำนักงาน ก.ก."),
    ("chief-inspector", "หัวหน้าผู้ตรวจราชการกรุงเทพมหานคร"),
    ("assistant-permanent-secretaries", "ผู้ช่วยปลัดกรุงเทพมหานคร"),
    ("council-secretary", "เลขานุการสภากรุงเทพมหานคร"),
    ("governor-secretary", "เลขานุการผู้ว่าราชการกรุงเทพมหานคร"),
    ("district-directors", "ผู้อำนวยการเขต"),
    ("ops-unit-heads", "หัวหน้าส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร"),
    ("commerce-director", "ผู้อำนวยการสำนักงานการพาณิชย์ของกรุงเทพมหานคร"),
]

INSTITUTE_PHONE = "ส่วนยุทธศาสตร์ฯ โทร. ๐ ๒๖๒๑ ๑๕๒๘ หรือโทร. ๑๙๙๖ โทรสาร ๐ ๒๖๒๑ ๑๕๒๓"
INSTITUTE_MAILBOX = "bmahrd01@gmail.com"
INSTITUTE_DOC_CODE = "กท ๐๔๐๑"
