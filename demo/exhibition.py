"""Demo exhibition: one exhibition, a booth per agency and one neighbourhood booth, fourteen
exhibits with photos painted by Pillow (demo/images.py).  Texts are written for this
demo.  One photo shows people without recorded consent, to show that it stays hidden.

Runs after the neighbourhoods and agencies demo data; running it again creates nothing new.
The exhibition, booths, exhibits and photos it creates are marked as demo rows (demo/models.py).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.access import SYSTEM
from agencies.models import Agency
from core.images import clean_image_upload
from core.jalali import to_gregorian
from demo.images import paint
from demo.models import DemoRow
from exhibition import services
from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind
from neighbourhoods.models import Neighbourhood

SLUG = "harekat-mobarak-2020"

EXHIBITION = {
    "title": "نمایشگاه حرکت مبارک ۲۰۲۰ محله",
    "venue": "سمنان، محل دائمی نمایشگاه‌های استان",
    "description": (
        "در این نمایشگاه، خانه‌های احسان، امداد، هلال و بهزیستی و ساکنان محله‌های طرح، "
        "حاصل یک سال کار مشترک را کنار هم گذاشته‌اند: از فرش و سفالی که در کارگاه‌های خانگی "
        "بافته و پخته شده تا کوچه‌ها و خانه‌هایی که با همت همسایه‌ها دوباره جان گرفته‌اند.\n"
        "اگر فرصت نشد حضوری سر بزنید، می‌توانید غرفه به غرفه همین‌جا آثار را ببینید و "
        "بدانید هر کدام از کدام محله آمده است."
    ),
}

BOOTHS = {
    "ehsan": (
        "غرفهٔ خانه‌های احسان",
        "ستاد اجرایی فرمان امام در این غرفه طرح‌هایی را نشان می‌دهد که چند دستگاه با هم "
        "پیش برده‌اند و کارگاه‌هایی که با وام‌های خرد راه افتاده‌اند.",
    ),
    "emdad": (
        "غرفهٔ خانه‌های امداد",
        "دست‌ساخته‌ها و فراورده‌های خانواده‌هایی که با حمایت کمیته امداد کسب‌وکار خانگی "
        "خود را راه انداخته‌اند، و گزارشی از بازسازی مسکن مددجویان.",
    ),
    "helal": (
        "غرفهٔ خانه‌های هلال",
        "آنچه داوطلبان هلال‌احمر در محله‌ها آموزش داده‌اند و ساخته‌اند: از کیف کمک‌های "
        "اولیه تا تمرین آمادگی در برابر زلزله در مدرسه‌ها.",
    ),
    "behzisti": (
        "غرفهٔ خانه‌های بهزیستی",
        "کارهای توان‌خواهان و کودکانی که در کارگاه‌ها و مهدهای محله‌ای بهزیستی هنر و حرفه آموخته‌اند.",
    ),
}

NEIGHBOURHOOD_BOOTH = (
    "غرفهٔ مشترک ساکنان محله",
    "ساکنان یکی از محله‌های طرح، بی‌واسطهٔ دستگاه‌ها، آنچه را با هم ساخته‌اند آورده‌اند.",
)

# booth key, title, kind, made by, description, [(motif, variant, people)]; people is None,
# "consent" or "no_consent".
EXHIBITS = [
    (
        "ehsan",
        "تابلوفرش دست‌باف با نقش ترنج",
        ExhibitKind.HANDICRAFT,
        "کارگاه قالی‌بافی بانوان محله",
        "هشت بانوی محله این تابلوفرش را در شش ماه بافته‌اند. کارگاه با وام خرد خانهٔ احسان "
        "راه افتاد و حالا سفارش هم می‌گیرد.",
        [("rug", 0, None), ("rug", 1, None), ("rug", 2, None)],
    ),
    (
        "ehsan",
        "بهسازی کوچهٔ اصلی محله",
        ExhibitKind.BEFORE_AFTER,
        "شورای محله و همسایه‌ها",
        "کوچه‌ای که زمستان‌ها گل‌آلود بود، با مشارکت ساکنان و شهرداری سنگ‌فرش و روشن شد. "
        "عکس نخست پیش از کار است و عکس دوم پس از آن.",
        [("alley_before", 0, None), ("alley_after", 0, None)],
    ),
    (
        "ehsan",
        "زعفران و گیاهان دارویی بسته‌بندی‌شده",
        ExhibitKind.PRODUCT,
        "تعاونی زنان سرپرست خانوار",
        "زعفران و گل‌گاوزبانی که در باغچه‌های خانگی کاشته شده، حالا با برچسب و بسته‌بندی "
        "یکدست به بازار می‌رود.",
        [("saffron", 0, None), ("saffron", 1, None)],
    ),
    (
        "emdad",
        "عروسک‌های پارچه‌ای",
        ExhibitKind.HANDICRAFT,
        "گروه خودیار دوزندگی",
        "عروسک‌هایی با لباس‌های محلی که از پارچه‌های باقی‌ماندهٔ خیاطی دوخته شده‌اند.",
        [("doll", 0, None), ("doll", 2, None)],
    ),
    (
        "emdad",
        "نان محلی و کلوچه",
        ExhibitKind.PRODUCT,
        "کارگاه خانگی پخت نان",
        "تنوری که در حیاط یک خانه روشن شد، امروز نان سه کوچه را می‌پزد و دو نفر از "
        "همسایه‌ها هم در آن کار می‌کنند.",
        [("bread", 0, None), ("bread", 1, None), ("people", 0, "no_consent")],
    ),
    (
        "emdad",
        "بازسازی خانه‌های فرسوده",
        ExhibitKind.BEFORE_AFTER,
        "بنیاد مسکن و خانهٔ امداد",
        "سقف و دیوارهای ترک‌خوردهٔ چند خانهٔ قدیمی مقاوم‌سازی شد تا خانواده‌ها زمستان را "
        "بی‌نگرانی بگذرانند.",
        [("house_before", 0, None), ("house_after", 0, None)],
    ),
    (
        "helal",
        "دورهٔ همگانی امداد و نجات",
        ExhibitKind.ACHIEVEMENT,
        "داوطلبان جوان هلال‌احمر",
        "بیش از صد نفر از ساکنان در کلاس‌های شبانهٔ خانهٔ هلال کمک‌های اولیه را یاد گرفتند. "
        "شرکت‌کنندگان رضایت داده‌اند عکس گروهی‌شان منتشر شود.",
        [("people", 1, "consent"), ("first_aid", 1, None)],
    ),
    (
        "helal",
        "کیف کمک‌های اولیهٔ خانگی",
        ExhibitKind.PRODUCT,
        "کارگاه داوطلبان هلال",
        "کیف‌هایی که داوطلبان برای خانواده‌های محله آماده کرده‌اند؛ در هر کیف فهرست ساده‌ای "
        "هم هست که بگوید هر وسیله به چه کار می‌آید.",
        [("first_aid", 0, None), ("first_aid", 2, None)],
    ),
    (
        "helal",
        "تمرین آمادگی زلزله در مدرسه‌ها",
        ExhibitKind.PROJECT,
        "خانهٔ هلال و آموزش‌وپرورش",
        "در چهار مدرسهٔ محله، دانش‌آموزان یاد گرفتند هنگام زلزله کجا پناه بگیرند و چطور "
        "بی‌شتاب از ساختمان بیرون بروند.",
        [("school", 0, None), ("school", 2, None)],
    ),
    (
        "behzisti",
        "سفال‌های کارگاه توان‌خواهان",
        ExhibitKind.HANDICRAFT,
        "کارگاه حرفه‌آموزی توان‌خواهان",
        "کوزه‌ها و گلدان‌هایی که توان‌خواهان کارگاه با چرخ سفالگری ساخته و لعاب داده‌اند.",
        [("vase", 0, None), ("vase", 1, None), ("vase", 2, None)],
    ),
    (
        "behzisti",
        "نقاشی‌های کودکان مهد محله",
        ExhibitKind.ARTWORK,
        "کودکان مهدکودک محله",
        "کودکان از «خانه‌ای که دوست دارم» کشیده‌اند؛ خانه‌هایی با پنجره‌های بزرگ و "
        "خورشیدی که همیشه بالای سقف است.",
        [("painting", 0, None), ("painting", 2, None)],
    ),
    (
        "behzisti",
        "کارگاه خیاطی اشتغال‌زا",
        ExhibitKind.ACHIEVEMENT,
        "خانهٔ بهزیستی محله",
        "با شش چرخ خیاطی اهدایی، کارگاهی راه افتاد که حالا لباس فرم دو مدرسه را می‌دوزد.",
        [("sewing", 0, None), ("sewing", 1, None)],
    ),
    (
        None,
        "مربا و ترشی خانگی",
        ExhibitKind.PRODUCT,
        "همسایه‌های کوچهٔ باغ",
        "میوهٔ باغ‌های کوچک محله، به جای این‌که روی درخت بماند، در شیشه‌های مربا و ترشی به "
        "نمایشگاه آمده است.",
        [("jars", 0, None), ("jars", 1, None)],
    ),
    (
        None,
        "بازسازی پارک محله",
        ExhibitKind.BEFORE_AFTER,
        "ساکنان محله با کمک شهرداری",
        "زمین خاکی کنار مسجد با نهال‌کاری ساکنان و چند نیمکت به پارکی کوچک تبدیل شد.",
        [("park_before", 0, None), ("park_after", 0, None)],
    ),
]

PEOPLE_FLAGS = {None: (False, False), "consent": (True, True), "no_consent": (True, False)}


def seed(*, with_users: bool, stdout) -> str:
    """Create the demo exhibition once; a second run finds it and creates nothing."""
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=BOOTHS)}
    neighbourhoods = list(Neighbourhood.objects.filter(is_demo=True).order_by("code"))
    if len(agencies) < len(BOOTHS) or not neighbourhoods:
        return "agencies or demo neighbourhoods missing; nothing created / داده‌ای ساخته نشد"

    exhibition = Exhibition.objects.filter(slug=SLUG).first()
    created_exhibition = exhibition is None
    if created_exhibition:
        exhibition = Exhibition(
            slug=SLUG,
            starts_on=to_gregorian(1405, 9, 1),
            ends_on=to_gregorian(1405, 9, 15),
            is_published=True,
            cover_alt="میز غرفه‌ای با کوزه‌های سفالی رنگارنگ",
            **EXHIBITION,
        )
        cover = clean_image_upload(SimpleUploadedFile("cover.jpg", paint("vase", seed=3)))
        services.exhibition_save(exhibition=exhibition, user=SYSTEM, cover=cover)
        DemoRow.objects.mark([exhibition])

    booths = {}
    for order, (slug, (title, description)) in enumerate(BOOTHS.items(), 1):
        booths[slug] = _booth(exhibition, title, description, order, agency=agencies[slug])
    booths[None] = _booth(
        exhibition, *NEIGHBOURHOOD_BOOTH, len(BOOTHS) + 1, neighbourhood=neighbourhoods[0]
    )

    new_exhibits = new_photos = 0
    for index, (booth_key, title, kind, made_by, description, shots) in enumerate(EXHIBITS):
        booth = booths[booth_key]
        if Exhibit.objects.filter(booth=booth, title=title).exists():
            continue
        exhibit = services.exhibit_save(
            exhibit=Exhibit(
                booth=booth,
                title=title,
                kind=kind,
                made_by=made_by,
                description=description,
                neighbourhood=booth.neighbourhood or neighbourhoods[index % len(neighbourhoods)],
                order=index,
            ),
            user=SYSTEM,
        )
        DemoRow.objects.mark([exhibit])
        new_exhibits += 1
        for motif, variant, people in shots:
            shows_people, consent = PEOPLE_FLAGS[people]
            image = clean_image_upload(
                SimpleUploadedFile(f"{motif}.jpg", paint(motif, variant=variant, seed=index))
            )
            photos = services.photos_add(
                exhibit=exhibit,
                images=[image],
                alt_text=ALT_TEXTS.get(motif, title),
                caption=CAPTIONS.get(motif, ""),
                shows_people=shows_people,
                consent_recorded=consent,
                user=SYSTEM,
            )
            DemoRow.objects.mark(photos)
            new_photos += 1
    if not created_exhibition and not new_exhibits:
        return "demo exhibition already present / نمایشگاه نمایشی از پیش بود"
    return (
        f"exhibition {'created' if created_exhibition else 'kept'}, "
        f"{new_exhibits} exhibits and {new_photos} photos added "
        f"/ {new_exhibits} اثر و {new_photos} عکس افزوده شد"
    )


def _booth(exhibition, title, description, order, *, agency=None, neighbourhood=None) -> Booth:
    booth = Booth.objects.filter(exhibition=exhibition, title=title).first()
    if booth is None:
        booth = services.booth_save(
            booth=Booth(
                exhibition=exhibition,
                title=title,
                description=description,
                order=order,
                agency=agency,
                neighbourhood=neighbourhood,
            ),
            user=SYSTEM,
        )
        DemoRow.objects.mark([booth])
    return booth


CAPTIONS = {
    "alley_before": "پیش از بهسازی",
    "alley_after": "پس از بهسازی",
    "house_before": "پیش از بازسازی",
    "house_after": "پس از بازسازی",
    "park_before": "زمین خاکی پیش از کار",
    "park_after": "پارک پس از نهال‌کاری",
    "people": "شرکت‌کنندگان",
}

ALT_TEXTS = {
    "rug": "تابلوفرشی با ترنج لوزی‌شکل در میانه و حاشیهٔ نقش‌دار",
    "alley_before": "کوچه‌ای خاکی با چاله‌های آب میان دیوارهای کاهگلی",
    "alley_after": "همان کوچه سنگ‌فرش‌شده با دو چراغ روشن",
    "saffron": "جعبه‌های زعفران و گیاه دارویی روی میز",
    "doll": "دو عروسک پارچه‌ای با لباس‌های رنگی",
    "bread": "سینی بزرگی از کلوچه و نان محلی",
    "people": "گروهی از ساکنان محله کنار هم ایستاده‌اند",
    "house_before": "خانه‌ای قدیمی با دیوارهای ترک‌خورده",
    "house_after": "همان خانه با دیوار نو، پنجره‌های روشن و درختی کنارش",
    "first_aid": "کیف کمک‌های اولیه با نشان صلیب سرخ",
    "school": "ساختمان مدرسه با ردیف پنجره‌ها و پرچم",
    "vase": "کوزه و گلدان‌های سفالی لعاب‌دار روی میز",
    "painting": "سه نقاشی کودکانه از خانه، درخت و خورشید",
    "sewing": "پارچه‌های دوخته‌شده و قرقرهٔ نخ روی میز کارگاه",
    "jars": "شیشه‌های مربا و ترشی با درهای پارچه‌ای",
    "park_before": "زمینی خاکی با چند تیر و سنگ پراکنده",
    "park_after": "پارکی کوچک با درخت‌های سبز و یک نیمکت",
}
