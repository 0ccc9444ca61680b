"""Pictures for the demo exhibition, painted with Pillow: nothing is downloaded.

Each motif draws a simple, recognisable scene (a rug, a vase, jars, a house before and after
repair...) on a soft gradient; ``variant`` changes palette and framing so an exhibit's photos
differ.  No text is drawn, so no font is needed.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTH, HEIGHT = 1200, 900

PALETTES = [
    ("#f3e9dc", "#c9a27e", "#8c3b2e", "#2f5d62", "#e0b04a"),
    ("#e8f0ec", "#9fc2b5", "#0f5c4d", "#b8572f", "#f2c14e"),
    ("#efe7f3", "#b7a1c9", "#6a3d9a", "#d0675b", "#f5d27a"),
    ("#e7eef7", "#9db6d6", "#1f5fa8", "#c62828", "#f0c75e"),
]


def _background(palette, variant: int) -> Image.Image:
    light, mid = palette[0], palette[1]
    gradient = Image.linear_gradient("L").rotate(90 * (variant % 2) + 180).resize((WIDTH, HEIGHT))
    return ImageOps.colorize(gradient, black=mid, white=light).convert("RGB")


def _table(draw, palette):
    draw.rectangle([0, HEIGHT * 0.72, WIDTH, HEIGHT], fill=palette[1])
    draw.rectangle([0, HEIGHT * 0.72, WIDTH, HEIGHT * 0.74], fill=palette[2])


def rug(draw, palette, rng):
    left, top, right, bottom = 200, 120, 1000, 780
    draw.rectangle([left, top, right, bottom], fill=palette[2])
    draw.rectangle([left + 40, top + 40, right - 40, bottom - 40], fill=palette[0])
    draw.rectangle([left + 70, top + 70, right - 70, bottom - 70], fill=palette[3])
    cx, cy = (left + right) / 2, (top + bottom) / 2
    for scale, colour in ((1.0, palette[4]), (0.66, palette[2]), (0.33, palette[0])):
        w, h = 260 * scale, 220 * scale
        draw.polygon([(cx, cy - h), (cx + w, cy), (cx, cy + h), (cx - w, cy)], fill=colour)
    for i in range(12):
        x = left + 90 + i * 55
        draw.polygon(
            [(x, top + 85), (x + 20, top + 105), (x, top + 125), (x - 20, top + 105)],
            fill=palette[4],
        )
        draw.polygon(
            [(x, bottom - 125), (x + 20, bottom - 105), (x, bottom - 85), (x - 20, bottom - 105)],
            fill=palette[4],
        )
    for x in range(left, right, 16):  # fringes
        draw.line([(x, top), (x, top - 30)], fill=palette[1], width=4)
        draw.line([(x, bottom), (x, bottom + 30)], fill=palette[1], width=4)


def vase(draw, palette, rng):
    _table(draw, palette)
    for index, cx in enumerate((380, 640, 880)):
        h = rng.randint(300, 420)
        w = rng.randint(120, 170)
        base = HEIGHT * 0.73
        colour = palette[2 + index % 3]
        draw.ellipse([cx - w, base - h * 0.7, cx + w, base], fill=colour)
        draw.rectangle([cx - w * 0.35, base - h, cx + w * 0.35, base - h * 0.55], fill=colour)
        draw.ellipse([cx - w * 0.45, base - h - 18, cx + w * 0.45, base - h + 18], fill=palette[1])
        for k in range(3):
            y = base - h * (0.2 + 0.15 * k)
            draw.arc([cx - w, y - 30, cx + w, y + 30], 0, 180, fill=palette[0], width=6)


def jars(draw, palette, rng):
    _table(draw, palette)
    colours = [palette[2], palette[4], "#7a2e3a", "#c46a1b", palette[3]]
    for i in range(5):
        cx = 180 + i * 210
        base = HEIGHT * 0.73
        draw.rounded_rectangle([cx - 80, base - 260, cx + 80, base], radius=30, fill="#dfe9ee")
        draw.rounded_rectangle(
            [cx - 70, base - 220, cx + 70, base - 10],
            radius=24,
            fill=colours[(i + rng.randint(0, 4)) % 5],
        )
        draw.rectangle([cx - 85, base - 300, cx + 85, base - 255], fill=palette[1])
        draw.rectangle([cx - 50, base - 150, cx + 50, base - 90], fill=palette[0])


def doll(draw, palette, rng):
    _table(draw, palette)
    for i, cx in enumerate((420, 780)):
        base = HEIGHT * 0.73
        dress = palette[2 + i]
        draw.polygon([(cx, base - 380), (cx + 150, base), (cx - 150, base)], fill=dress)
        draw.ellipse([cx - 70, base - 520, cx + 70, base - 380], fill="#e8c9a0")
        draw.pieslice([cx - 80, base - 540, cx + 80, base - 400], 180, 360, fill="#5b3a29")
        for k in range(4):
            y = base - 300 + k * 70
            draw.line([(cx - 40 - k * 25, y), (cx + 40 + k * 25, y)], fill=palette[4], width=8)


def bread(draw, palette, rng):
    draw.ellipse([120, 240, 1080, 860], fill="#8a5a33")
    for i in range(6):
        x = 250 + (i % 3) * 260 + rng.randint(-20, 20)
        y = 380 + (i // 3) * 200 + rng.randint(-15, 15)
        draw.ellipse([x - 110, y - 70, x + 110, y + 70], fill="#d9a05b")
        draw.ellipse([x - 90, y - 55, x + 90, y + 50], fill="#e8b873")
        for k in range(5):
            draw.ellipse([x - 60 + k * 28, y - 8, x - 52 + k * 28, y], fill="#a8743e")


def house(draw, palette, rng, *, repaired: bool):
    draw.rectangle([0, HEIGHT * 0.78, WIDTH, HEIGHT], fill="#9c8f7a" if not repaired else "#7d8f6a")
    wall = "#b9a58a" if not repaired else "#efe3cf"
    roof = "#6e6259" if not repaired else palette[2]
    draw.rectangle([300, 360, 900, HEIGHT * 0.78], fill=wall)
    draw.polygon([(260, 370), (600, 160), (940, 370)], fill=roof)
    draw.rectangle([540, 520, 660, HEIGHT * 0.78], fill="#5b3a29" if repaired else "#4a4038")
    for x in (360, 720):
        draw.rectangle([x, 450, x + 120, 560], fill="#9fd0e8" if repaired else "#5c5750")
        draw.line([(x + 60, 450), (x + 60, 560)], fill=wall, width=6)
    if not repaired:
        for _ in range(7):  # cracks
            x, y = rng.randint(320, 880), rng.randint(380, 650)
            points = [(x, y)]
            for _ in range(4):
                x, y = x + rng.randint(-30, 30), y + rng.randint(10, 40)
                points.append((x, y))
            draw.line(points, fill="#5e5043", width=4)
    else:
        draw.ellipse([960, 560, 1120, 720], fill="#3f7f4f")
        draw.rectangle([1030, 700, 1050, HEIGHT * 0.8], fill="#5b3a29")


def alley(draw, palette, rng, *, repaired: bool):
    draw.polygon([(0, 0), (380, 0), (520, 560), (0, HEIGHT)], fill="#c8b89e")
    draw.polygon([(WIDTH, 0), (820, 0), (680, 560), (WIDTH, HEIGHT)], fill="#bda98c")
    ground = "#8b8378" if not repaired else "#a3a3a3"
    draw.polygon([(0, HEIGHT), (520, 560), (680, 560), (WIDTH, HEIGHT)], fill=ground)
    if repaired:
        for i in range(1, 9):
            y = 560 + i * i * 5
            half = 80 + i * 60
            draw.line([(600 - half, y), (600 + half, y)], fill="#8d8d8d", width=3)
        for x in (200, 1000):
            draw.rectangle([x - 6, 250, x + 6, 720], fill="#444")
            draw.ellipse([x - 30, 220, x + 30, 270], fill="#f5d27a")
    else:
        for _ in range(12):
            x, y = rng.randint(350, 850), rng.randint(620, 880)
            draw.ellipse([x - 40, y - 12, x + 40, y + 12], fill="#6b6358")


def first_aid(draw, palette, rng):
    _table(draw, palette)
    draw.rounded_rectangle(
        [330, 300, 870, 680], radius=40, fill="#f4f4f4", outline="#c62828", width=10
    )
    draw.rectangle([560, 360, 640, 620], fill="#c62828")
    draw.rectangle([470, 450, 730, 530], fill="#c62828")
    draw.rounded_rectangle([540, 250, 660, 310], radius=20, outline="#888", width=12)


def people(draw, palette, rng):
    """Figures standing together: used for photos that show identifiable people."""
    draw.rectangle([0, HEIGHT * 0.8, WIDTH, HEIGHT], fill=palette[1])
    for i in range(6):
        cx = 150 + i * 180 + rng.randint(-20, 20)
        top = 300 + rng.randint(-40, 40)
        colour = [palette[2], palette[3], palette[4], "#5b3a29"][i % 4]
        draw.ellipse([cx - 45, top, cx + 45, top + 95], fill="#e2bf97")
        draw.pieslice([cx - 55, top - 10, cx + 55, top + 90], 180, 360, fill="#3b2a20")
        draw.rounded_rectangle([cx - 70, top + 100, cx + 70, HEIGHT * 0.82], radius=40, fill=colour)


def school(draw, palette, rng):
    draw.rectangle([0, HEIGHT * 0.8, WIDTH, HEIGHT], fill="#9aa37a")
    draw.rectangle([200, 300, 1000, HEIGHT * 0.8], fill="#e7d7b9")
    draw.rectangle([200, 270, 1000, 310], fill=palette[2])
    for row in range(2):
        for col in range(6):
            x, y = 250 + col * 125, 350 + row * 150
            draw.rectangle([x, y, x + 80, y + 100], fill="#9fd0e8")
    draw.line([(600, 270), (600, 140)], fill="#555", width=6)
    draw.rectangle([600, 140, 700, 200], fill=palette[4])


def painting(draw, palette, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill="#f4efe4")
    for col in range(3):
        x = 90 + col * 360
        draw.rectangle([x, 150, x + 300, 550], fill=palette[2 + col % 3])
        draw.rectangle([x + 15, 165, x + 285, 535], fill="#fffdf6")
        draw.ellipse([x + 190, 190, x + 260, 260], fill="#f2c14e")
        draw.polygon([(x + 30, 520), (x + 130, 330), (x + 230, 520)], fill="#5f9e6e")
        draw.rectangle([x + 60, 430, x + 140, 520], fill="#d0675b")
        draw.polygon([(x + 50, 430), (x + 100, 380), (x + 150, 430)], fill="#6a3d9a")


def sewing(draw, palette, rng):
    _table(draw, palette)
    for i in range(4):
        x = 120 + i * 250
        draw.rectangle(
            [x, 380, x + 200, HEIGHT * 0.73],
            fill=[palette[2], palette[3], palette[4], "#7a2e3a"][i],
        )
        for y in range(400, int(HEIGHT * 0.72), 28):
            draw.line([(x + 10, y), (x + 30, y)], fill="#fffdf6", width=3)
    draw.ellipse([840, 180, 1060, 400], outline="#444", width=14)
    draw.line([(950, 170), (950, 410)], fill="#444", width=8)


def saffron(draw, palette, rng):
    _table(draw, palette)
    for i in range(3):
        cx = 300 + i * 300
        draw.rounded_rectangle(
            [cx - 110, 360, cx + 110, HEIGHT * 0.73],
            radius=18,
            fill="#fbf6ea",
            outline=palette[2],
            width=6,
        )
        draw.rectangle([cx - 110, 430, cx + 110, 500], fill="#7a2e3a")
        for _ in range(30):
            x, y = cx + rng.randint(-80, 80), rng.randint(540, int(HEIGHT * 0.71))
            draw.line([(x, y), (x + rng.randint(-12, 12), y - 18)], fill="#c0392b", width=4)


def park(draw, palette, rng, *, repaired: bool):
    draw.rectangle([0, HEIGHT * 0.6, WIDTH, HEIGHT], fill="#8fb36b" if repaired else "#a89f86")
    if repaired:
        for i in range(5):
            x = 120 + i * 240
            draw.rectangle([x - 12, 330, x + 12, HEIGHT * 0.62], fill="#5b3a29")
            draw.ellipse([x - 90, 190, x + 90, 380], fill="#3f7f4f")
        draw.rectangle([450, 640, 750, 670], fill="#8c5a2b")
        draw.rectangle([470, 670, 490, 720], fill="#555")
        draw.rectangle([710, 670, 730, 720], fill="#555")
    else:
        for i in range(4):
            x = 200 + i * 260
            draw.line([(x, HEIGHT * 0.62), (x + 20, 420)], fill="#6b5b4a", width=10)
        for _ in range(10):
            x, y = rng.randint(50, 1150), rng.randint(600, 880)
            draw.rectangle([x, y, x + 30, y + 10], fill="#6b6358")


MOTIFS = {
    "rug": rug,
    "vase": vase,
    "jars": jars,
    "doll": doll,
    "bread": bread,
    "house_before": lambda d, p, r: house(d, p, r, repaired=False),
    "house_after": lambda d, p, r: house(d, p, r, repaired=True),
    "alley_before": lambda d, p, r: alley(d, p, r, repaired=False),
    "alley_after": lambda d, p, r: alley(d, p, r, repaired=True),
    "park_before": lambda d, p, r: park(d, p, r, repaired=False),
    "park_after": lambda d, p, r: park(d, p, r, repaired=True),
    "first_aid": first_aid,
    "people": people,
    "school": school,
    "painting": painting,
    "sewing": sewing,
    "saffron": saffron,
}


def paint(motif: str, *, variant: int = 0, seed: int = 0) -> bytes:
    """A JPEG of ``motif``; ``variant`` 1 is a closer crop, 2 a different palette."""
    rng = random.Random(f"{motif}-{variant}-{seed}")
    palette = PALETTES[(seed + variant * 2) % len(PALETTES)]
    image = _background(palette, variant)
    MOTIFS[motif](ImageDraw.Draw(image), palette, rng)
    image = image.filter(ImageFilter.SMOOTH)
    if variant == 1:
        # A closer look: crop to the middle and scale back, like a second photo of the same table.
        box = (WIDTH * 0.15, HEIGHT * 0.15, WIDTH * 0.85, HEIGHT * 0.85)
        image = image.crop(tuple(int(v) for v in box)).resize((WIDTH, HEIGHT), Image.LANCZOS)
    if variant == 2:
        image = ImageOps.mirror(image)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
