"""What every installation of the program needs besides places: the four agencies (each with
the name of its house in a neighbourhood) and the six service domains with their service types.

``manage.py load_reference`` loads it together with the places (neighbourhoods/reference.py).
Rows are found by their slugs; a name an admin corrected later stays corrected.
"""

from agencies.models import Agency, ServiceDomain, ServiceType

# slug, full name, short name, house name, colour, a sentence about the agency
AGENCIES = [
    (
        "ehsan",
        "ستاد اجرایی فرمان حضرت امام (ره)",
        "ستاد اجرایی",
        "خانه احسان",
        "#0f5c4d",
        "هماهنگ‌کنندهٔ استانی طرح؛ خانهٔ احسان محل گردهمایی دستگاه‌ها و معتمدان محله است.",
    ),
    (
        "emdad",
        "کمیته امداد امام خمینی (ره)",
        "کمیته امداد",
        "خانه امداد",
        "#1f5fa8",
        "پشتیبان خانواده‌های تحت حمایت در معیشت، مسکن و راه‌اندازی کسب‌وکار خانگی.",
    ),
    (
        "helal",
        "جمعیت هلال‌احمر",
        "هلال‌احمر",
        "خانه هلال",
        "#c62828",
        "آموزش آمادگی در برابر حادثه، کمک‌های اولیه و خدمات سلامت در دل محله.",
    ),
    (
        "behzisti",
        "سازمان بهزیستی",
        "بهزیستی",
        "خانه بهزیستی",
        "#6a3d9a",
        "همراه توان‌خواهان، کودکان و خانواده‌هایی که به حمایت اجتماعی و مشاوره نیاز دارند.",
    ),
]

# domain slug, name, [(service type slug, name)]
DOMAINS = [
    (
        "cultural",
        "فرهنگی",
        [
            ("cultural-reading-circle", "حلقهٔ کتاب‌خوانی"),
            ("cultural-religious-event", "برگزاری مراسم مذهبی و ملی"),
            ("cultural-children-camp", "اردوی فرهنگی کودکان و نوجوانان"),
            ("cultural-art-class", "کلاس هنری و صنایع دستی"),
        ],
    ),
    (
        "employment",
        "اشتغال",
        [
            ("employment-skills-training", "آموزش مهارت فنی و حرفه‌ای"),
            ("employment-home-business-loan", "وام کسب‌وکار خانگی"),
            ("employment-job-matching", "معرفی به بازار کار"),
            ("employment-market-booth", "راه‌اندازی بازارچهٔ محصولات محلی"),
        ],
    ),
    (
        "housing",
        "مسکن",
        [
            ("housing-repair", "تعمیر و مقاوم‌سازی خانه"),
            ("housing-rent-deposit", "کمک ودیعهٔ مسکن"),
            ("housing-heating", "تأمین وسایل گرمایشی"),
            ("housing-sanitation", "بهسازی سرویس بهداشتی و آشپزخانه"),
        ],
    ),
    (
        "health",
        "درمان و سلامت",
        [
            ("health-screening", "پایش و غربالگری سلامت"),
            ("health-first-aid-course", "آموزش کمک‌های اولیه"),
            ("health-medical-costs", "کمک هزینهٔ درمان"),
            ("health-dental-eye", "خدمات دندانپزشکی و بینایی‌سنجی"),
            ("health-nutrition", "سبد غذایی و مکمل تغذیه‌ای"),
        ],
    ),
    (
        "social",
        "اجتماعی",
        [
            ("social-counselling", "مشاورهٔ خانواده و روان‌شناسی"),
            ("social-addiction-prevention", "پیشگیری از اعتیاد و آسیب‌های اجتماعی"),
            ("social-disability-aid", "وسایل کمک‌توان‌بخشی برای توان‌خواهان"),
            ("social-volunteer-network", "تشکیل گروه داوطلبان محله"),
        ],
    ),
    (
        "education",
        "علمی و آموزشی",
        [
            ("education-school-supplies", "بستهٔ نوشت‌افزار و لوازم مدرسه"),
            ("education-tutoring", "کلاس تقویتی و جبرانی"),
            ("education-scholarship", "کمک‌هزینهٔ تحصیلی"),
            ("education-literacy", "سوادآموزی بزرگسالان"),
        ],
    ),
]


def load_program() -> dict:
    """Create the agencies, domains and service types that are missing; change nothing else.

    Returns how many of each were created.
    """
    created = {"دستگاه": 0, "حوزه": 0, "نوع خدمت": 0}
    for order, (slug, name, short, house, colour, description) in enumerate(AGENCIES, 1):
        _agency, made = Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "house_name": house,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )
        created["دستگاه"] += made
    for order, (slug, name, types) in enumerate(DOMAINS, 1):
        domain, made = ServiceDomain.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        created["حوزه"] += made
        for type_slug, type_name in types:
            _type, made = ServiceType.objects.get_or_create(
                slug=type_slug, defaults={"name": type_name, "domain": domain}
            )
            created["نوع خدمت"] += made
    return created
