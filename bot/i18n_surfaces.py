"""Reply strings of the group, channel and inline surfaces, in French and English."""

from __future__ import annotations

from .i18n import DEFAULT_LANG

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "ask_usage": "Send /ask@{bot} followed by a question, or reply /check@{bot} to a message to look it up.",
        "check_usage": "Reply /check@{bot} to a message to look up what it says.",
        "group_help": ("I look claims up in a curated base and say who stated them and how directly. Here I stay "
                       "quiet unless asked: /ask@{bot} followed by a question, or reply /check@{bot} to a message. "
                       "What an inferred claim rests on: /why@{bot} followed by its id, or reply \"why\" (or "
                       "/why@{bot}) to my card. For more, talk to me in private: https://t.me/{bot}"),
        "why_usage": ("Send /why@{bot} followed by a claim id, or reply /why@{bot} (or just \"why\") to one of my "
                      "cards."),
        "claim_usage": "Send /claim@{bot} followed by a claim id, or reply /claim@{bot} to one of my messages.",
        "unknown_id": "There is no claim with the id {id}. To look a claim up: /ask@{bot} followed by a question.",
        "check_no_text": "That message has no text I can check.",
        "none": "No claim in the base matches this.",
        "suggest": "🔎 Perhaps: {claim} · {link}",
        "suggest_numbers": "🔎 Perhaps, with other dates or numbers: {claim} · {link}",
        "details_private": "details in private",
        "throttled": "You are asking many questions at once: please wait a minute, then ask again.",
        "admins_only": "Only the group's admins can change my settings.",
        "settings_head": "<b>Settings for this group</b>",
        "settings_lang": "Reply language: {value}",
        "settings_lang_auto": "each member's own",
        "settings_auto": "Auto-check: {value}",
        "settings_auto_help": ("When on, a message that clearly states a claim of the base gets a short note, "
                               "at most once per claim every {hours} h."),
        "settings_cannot_read": ("⚠️ I cannot see ordinary messages here: make me an admin of the group, "
                                 "or turn privacy mode off in @BotFather (/setprivacy)."),
        "on": "on",
        "off": "off",
        "button_lang_auto": "Language: auto",
        "button_auto_on": "Turn auto-check on",
        "button_auto_off": "Turn auto-check off",
        "button_hours": "every {hours} h",
        "saved": "Saved.",
        "lang_fr": "Français",
        "lang_en": "English",
        "note_head_post": "ℹ️ <b>Context</b>: this post states a claim from the claim base.",
        "note_head_message": "ℹ️ <b>Context</b>: this message states a claim from the claim base.",
        "note_more": "Sources and details",
        "note_link_cited": "✅ <b>Explicit</b>: stated directly by {who}, as cited by the article.",
        "optin_done": ("Context notes are on for this channel: a post that clearly states a claim of the base gets "
                       "one short note {where}. Send /optout to stop."),
        "optin_where_discussion": "in the linked discussion group",
        "optin_where_channel": "as a reply in this channel",
        "optout_done": "Context notes are off for this channel.",
        "optin_usage": ("Usage: /optin, /optin fr or /optin en (the notes' language), /optin channel (notes as "
                        "replies in the channel, not in its discussion group). Nothing was changed."),
        "inline_hint_title": "Look a claim up",
        "inline_hint_desc": "Type a question or a name, e.g. @{bot} Did Mali cut ties with Ukraine?",
        "inline_hint_text": "Look claims up in any chat: type @{bot} followed by a question or a name.",
        "inline_none_title": "No claim matches “{query}”",
        "inline_none_desc": "Try other words or names.",
        "inline_button": "How to use this bot",
        "inline_explicit": "Explicit · stated by {who}",
        "inline_inferred": "Inferred · an interpretation by {who}",
        "inline_inferred_unnamed": "Inferred · an interpretation whose authors the text does not name",
        "open_in_bot": "Open in the bot",
    },
    "fr": {
        "ask_usage": ("Envoyez /ask@{bot} suivi d'une question, ou répondez /check@{bot} à un message pour "
                      "le vérifier."),
        "check_usage": "Répondez /check@{bot} à un message pour chercher ce qu'il affirme.",
        "group_help": ("Je retrouve des affirmations dans une base tenue par des modérateurs et je dis qui les a "
                       "faites et à quel point directement. Ici je me tais sauf si on me le demande : /ask@{bot} "
                       "suivi d'une question, ou répondez /check@{bot} à un message. Sur quoi repose une "
                       "affirmation inférée : /why@{bot} suivi de son identifiant, ou répondez « pourquoi » (ou "
                       "/why@{bot}) à ma fiche. Pour aller plus loin, écrivez-moi en privé : https://t.me/{bot}"),
        "why_usage": ("Envoyez /why@{bot} suivi d'un identifiant, ou répondez /why@{bot} (ou simplement "
                      "« pourquoi ») à l'une de mes fiches."),
        "claim_usage": ("Envoyez /claim@{bot} suivi d'un identifiant, ou répondez /claim@{bot} à l'un de mes "
                        "messages."),
        "unknown_id": ("Aucune affirmation n'a l'identifiant {id}. Pour chercher une affirmation : /ask@{bot} suivi "
                       "d'une question."),
        "check_no_text": "Ce message n'a pas de texte à vérifier.",
        "none": "Aucune affirmation de la base ne correspond.",
        "suggest": "🔎 Peut-être : {claim} · {link}",
        "suggest_numbers": "🔎 Peut-être, avec d'autres dates ou chiffres : {claim} · {link}",
        "details_private": "détails en privé",
        "throttled": "Vous posez beaucoup de questions d'un coup : patientez une minute, puis reposez-la.",
        "admins_only": "Seuls les administrateurs du groupe peuvent changer mes réglages.",
        "settings_head": "<b>Réglages de ce groupe</b>",
        "settings_lang": "Langue des réponses : {value}",
        "settings_lang_auto": "celle de chaque membre",
        "settings_auto": "Vérification automatique : {value}",
        "settings_auto_help": ("Activée, un message qui affirme clairement une affirmation de la base reçoit une "
                               "courte note, au plus une fois par affirmation toutes les {hours} h."),
        "settings_cannot_read": ("⚠️ Je ne vois pas les messages ordinaires ici : nommez-moi administrateur du "
                                 "groupe, ou désactivez le mode confidentialité dans @BotFather (/setprivacy)."),
        "on": "activée",
        "off": "désactivée",
        "button_lang_auto": "Langue : auto",
        "button_auto_on": "Activer la vérification auto",
        "button_auto_off": "Désactiver la vérification auto",
        "button_hours": "toutes les {hours} h",
        "saved": "Enregistré.",
        "lang_fr": "Français",
        "lang_en": "English",
        "note_head_post": "ℹ️ <b>Contexte</b> : cette publication reprend une affirmation de la base.",
        "note_head_message": "ℹ️ <b>Contexte</b> : ce message reprend une affirmation de la base.",
        "note_more": "Sources et détails",
        "note_link_cited": "✅ <b>Explicite</b> : affirmé directement par {who}, tel que cité par l’article.",
        "optin_done": ("Notes de contexte activées pour ce canal : une publication qui reprend clairement une "
                       "affirmation de la base reçoit une courte note {where}. Envoyez /optout pour arrêter."),
        "optin_where_discussion": "dans le groupe de discussion lié",
        "optin_where_channel": "en réponse dans ce canal",
        "optout_done": "Notes de contexte désactivées pour ce canal.",
        "optin_usage": ("Syntaxe : /optin, /optin fr ou /optin en (la langue des notes), /optin canal (les notes "
                        "en réponse dans le canal, pas dans son groupe de discussion). Rien n'a été modifié."),
        "inline_hint_title": "Chercher une affirmation",
        "inline_hint_desc": "Tapez une question ou un nom, par ex. @{bot} Le Mali a-t-il rompu avec l'Ukraine ?",
        "inline_hint_text": ("Cherchez une affirmation dans n'importe quelle discussion : tapez @{bot} suivi d'une "
                             "question ou d'un nom."),
        "inline_none_title": "Aucune affirmation ne correspond à « {query} »",
        "inline_none_desc": "Essayez d'autres mots ou d'autres noms.",
        "inline_button": "Comment utiliser ce bot",
        "inline_explicit": "Explicite · affirmé par {who}",
        "inline_inferred": "Inféré · une interprétation de {who}",
        "inline_inferred_unnamed": "Inféré · une interprétation dont le texte ne nomme pas les auteurs",
        "open_in_bot": "Ouvrir dans le bot",
    },
}


def ts(lang: str, key: str, **values: object) -> str:
    """The surface string key in lang (English when missing), formatted with values."""
    text = STRINGS.get(lang, STRINGS[DEFAULT_LANG]).get(key) or STRINGS[DEFAULT_LANG][key]
    return text.format(**values) if values else text
