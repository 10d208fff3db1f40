"""What handlers reach through context.bot_data: the claim base, the question log, the settings."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from knowledge.base import ClaimBase
from knowledge.questions import QuestionLog

from .settings import Settings

KEY = "services"


@dataclass
class Services:
    base: ClaimBase
    questions: QuestionLog
    settings: Settings


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data[KEY]
