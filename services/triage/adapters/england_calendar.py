"""England's bank holidays from the maintained `holidays` package (GOV.UK's list, kept up to date upstream)."""

from datetime import date

import holidays


class EnglandBankHolidays:
    def __init__(self) -> None:
        self._calendar = holidays.country_holidays("GB", subdiv="ENG")

    def __call__(self, day: date) -> bool:
        return day in self._calendar
