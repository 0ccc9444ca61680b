"""Facts about the program the public pages repeat.

The national figures are fixed by the program; the provincial ones are counted from
the database once the program data exists, and fall back to the program's own
figures for Semnan while it is empty.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    value: int
    label: str


NATIONAL_NEIGHBOURHOODS = 2020
SEMNAN_NEIGHBOURHOODS = 50
SEMNAN_CITIES = 12
AGENCIES = 4
DOMAINS = 6


def headline_figures() -> list[Figure]:
    """The four numbers the home page opens with."""
    return [
        Figure(SEMNAN_NEIGHBOURHOODS, "محلهٔ هدف در استان سمنان"),
        Figure(SEMNAN_CITIES, "شهر"),
        Figure(AGENCIES, "دستگاه اجرایی با خانه‌ای در هر محله"),
        Figure(DOMAINS, "حوزهٔ خدمت"),
    ]
