"""Reply strings in French and English."""

from __future__ import annotations

from functools import lru_cache

from knowledge.text import guess_lang as guess_text_lang

# a question's language is guessed twice in a row (pick_lang, then question_lang in bot/handlers/common.py)
guess_lang = lru_cache(maxsize=16)(guess_text_lang)

SUPPORTED = ("fr", "en")
DEFAULT_LANG = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "claim": "Claim",
        "sources": "Stated by",
        "sources_many": "Stated by",
        "comment_sources": "Reader comment under the article",
        "comment_sources_many": "Reader comments under the article",
        "sources_no_article": "Stated by",
        "sources_no_article_many": "Stated by",
        "comment_sources_no_article": "Reader comment",
        "comment_sources_no_article_many": "Reader comments",
        "kind_author_no_article": "author",
        "link_explicit": "✅ <b>Explicit</b>: stated directly by {who}.",
        "link_inferred": "🔎 <b>Inferred</b>: no source states this whole; it is an interpretation, as put by {who}.",
        "unknown_command": "I do not know that command. Send /help to see what I can do, or just ask a question.",
        "in_groups_settings": ("/settings works in groups: there, an admin of the group sends /settings@{bot} to "
                               "choose my reply language and auto-check. Here, just send me a question."),
        "in_groups_check": ("/check works in groups: there, reply /check@{bot} to a message and I look up what it "
                            "says. Here, just send me the text, or forward the message to me."),
        "in_channels": ("{command} works in channels: an admin posts it in a channel where I am an admin "
                        "(/optin turns on my notes under posts that state a claim of the base, /optout turns them "
                        "off). Here, just send me a question."),
        "link_name_explicit": "explicit",
        "link_name_inferred": "inferred",
        "more_sources": "… and {count} more sources named for this claim.",
        "link_inferred_unnamed": ("🔎 <b>Inferred</b>: no source states this whole; it is an interpretation "
                                  "whose authors the text does not name."),
        "rests_on": "It rests on:",
        "reasoning": "Reasoning",
        "read_in": "Read in",
        "by": "by",
        "part": "part",
        "as_cited": "as cited by the article",
        "as_cited_many": "as cited by the article",
        "colon": ": ",
        "who_more": "{names} and {count} more",
        "more_why": "Full chain: {command} {id}",
        "retired_mark": "⚠️ [retired by the moderators]",
        "premises_retired": "⚠️ Part of what this rests on has been retired by the moderators (marked below).",
        "chain_retired": ("⚠️ Part of the chain this rests on has been retired by the moderators; the full chain "
                          "marks it."),
        "retired": "⚠️ This claim has been retired by the moderators and is kept only for the record.",
        "only_in": "(only available in {lang})",
        "suggest_head": "No claim matches your question closely. Did you mean:",
        "suggest_numbers": ("A claim of the base is about this, but it states other dates or numbers than your "
                            "question. Did you mean:"),
        "suggest_close": ("Several claims match your question about equally well, and I cannot tell which one "
                          "you mean:"),
        "suggest_tap": "Tap a button to open one, or ask again in other words.",
        "none": ("No claim in the base matches your question.\n"
                 "The base only holds claims curated by its moderators, so this does not mean the claim is "
                 "false. Try other words or names, or send the exact sentence you read. Your question is "
                 "saved for the moderators, who review unanswered questions."),
        "help": ("I look up a claim in a curated base and tell you <b>who said it</b> and <b>how directly</b>:\n"
                 "✅ <b>explicit</b>: the named source says it;\n"
                 "🔎 <b>inferred</b>: an interpretation, or a chain of claims no source states whole.\n"
                 "I do not say whether a claim is true.\n\n"
                 "Send me a question, for example:\n"
                 "• <i>What did Yusov say?</i>\n"
                 "• <i>Does Ukraine support jihadists in Mali?</i>\n\n"
                 "/ask &lt;question&gt;: look a claim up\n"
                 "/claim &lt;id&gt;: show one claim\n"
                 "/why &lt;id&gt;: what an inferred claim rests on, down to its sources\n"
                 "/lang fr|en: reply language\n"
                 "/privacy: what I keep of your questions\n"
                 "/help: this message"),
        "privacy": ("<b>What I keep</b>\n"
                    "• Each question you ask me (its text, up to 1,000 characters), when, and what I answered;\n"
                    "• your Telegram user id, and in a private chat the chat id and language;\n"
                    "• your 👍/👎 on my answers.\n"
                    "In groups, only what is addressed to me: /ask, /check, mentions and replies to me; in "
                    "inline mode, the claim you pick.\n"
                    "No names or usernames. The moderators of the claim base read questions I could not answer, "
                    "to add what is missing.\n"
                    "{kept}"),
        "privacy_days": "Questions are deleted after {days} days.",
        "privacy_forever": "Questions are kept until the bot's operators delete them.",
        "start": "Hello! ",
        "small_talk": ("👋 I look up claims in a base kept by moderators, and tell you who stated them and how "
                       "directly (I do not say whether they are true). Ask me about something you read, for "
                       "example: <i>Does Ukraine support jihadists in Mali?</i> Send /help for more."),
        "ask_usage": "Send /ask followed by your question, for example: /ask Why did Mali cut ties with Ukraine?",
        "claim_usage": "Send /claim followed by a claim id, for example: /claim {example}",
        "why_usage": "Send /why followed by a claim id, for example: /why {example}",
        "unknown_id": "There is no claim with the id {id}. Ask a question instead, and I will look it up.",
        "unknown_link": ("This link does not open any claim: it is unknown or out of date. Ask me a question "
                         "instead, and I will look it up."),
        "why_head": "Why this is inferred, step by step:",
        "why_see": "its reasoning: /why {id}",
        "why_gap": "… (left out to fit one message)",
        "why_cut": "A step's own chain: /why followed by its id.",
        "why_explicit": "This claim is explicit: its source states it directly, so there is no chain to show.",
        "lang_usage_chosen": "Send /lang fr or /lang en. I reply in {lang}, as you chose with /lang.",
        "lang_usage_telegram": ("Send /lang fr or /lang en to choose. Until you do, I reply in {lang}, the language "
                                "of your Telegram app."),
        "lang_usage_auto": ("Send /lang fr or /lang en to choose. Until you do, I reply in the language of your "
                            "Telegram app when it is French or English; otherwise in the language of your question, "
                            "or, when that is unclear (and for /help and buttons), in that of your last question."),
        "lang_set": "From now on I reply in English.",
        "error": "Sorry, something went wrong on my side. Please try again in a moment.",
        "not_text": "I can only read text. Send your question as a message.",
        "not_a_file": "I do not open files. Send your question as a text message.",
        "lang_name_fr": "French",
        "lang_name_en": "English",
    },
    "fr": {
        "claim": "Affirmation",
        "sources": "Source citée",
        "sources_many": "Sources citées",
        "comment_sources": "Commentaire d'un lecteur sous l'article",
        "comment_sources_many": "Commentaires de lecteurs sous l'article",
        "sources_no_article": "Source",
        "sources_no_article_many": "Sources",
        "comment_sources_no_article": "Commentaire d'un lecteur",
        "comment_sources_no_article_many": "Commentaires de lecteurs",
        "kind_author_no_article": "auteur",
        "link_explicit": "✅ <b>Explicite</b> : affirmé directement par {who}.",
        "link_inferred": "🔎 <b>Inféré</b> : aucune source ne l'affirme en entier ; c'est une interprétation, telle que formulée par {who}.",
        "unknown_command": "Je ne connais pas cette commande. Envoyez /help pour voir ce que je sais faire, ou posez simplement une question.",
        "in_groups_settings": ("/settings s'utilise dans les groupes : un administrateur du groupe y envoie "
                               "/settings@{bot} pour choisir la langue de mes réponses et la vérification "
                               "automatique. Ici, envoyez-moi simplement une question."),
        "in_groups_check": ("/check s'utilise dans les groupes : répondez-y /check@{bot} à un message, et je cherche "
                            "ce qu'il affirme. Ici, envoyez-moi simplement le texte, ou transférez-moi le message."),
        "in_channels": ("{command} s'utilise dans les canaux : un administrateur la publie dans un canal dont je "
                        "suis administrateur (/optin active mes notes sous les publications qui reprennent une "
                        "affirmation de la base, /optout les arrête). Ici, envoyez-moi simplement une question."),
        "link_name_explicit": "explicite",
        "link_name_inferred": "inféré",
        "more_sources": "… et {count} autres sources citées pour cette affirmation.",
        "link_inferred_unnamed": ("🔎 <b>Inféré</b> : aucune source ne l'affirme en entier ; c'est une "
                                  "interprétation dont le texte ne nomme pas les auteurs."),
        "rests_on": "Cela repose sur :",
        "reasoning": "Raisonnement",
        "read_in": "Lu dans",
        "by": "par",
        "part": "partie",
        "as_cited": "telle que citée par l'article",
        "as_cited_many": "telles que citées par l'article",
        "colon": " : ",
        "who_more": "{names} et {count} autres",
        "more_why": "Chaîne complète : {command} {id}",
        "retired_mark": "⚠️ [retirée par les modérateurs]",
        "premises_retired": ("⚠️ Une partie de ce sur quoi cela repose a été retirée par les modérateurs "
                             "(indiquée ci-dessous)."),
        "chain_retired": ("⚠️ Une partie de la chaîne sur laquelle cela repose a été retirée par les modérateurs ; "
                          "la chaîne complète l'indique."),
        "retired": "⚠️ Cette affirmation a été retirée par les modérateurs ; elle n'est gardée que pour mémoire.",
        "only_in": "(disponible seulement en {lang})",
        "suggest_head": "Aucune affirmation ne correspond de près à votre question. Vouliez-vous dire :",
        "suggest_numbers": ("Une affirmation de la base porte là-dessus, mais avec d'autres dates ou chiffres que "
                            "votre question. Vouliez-vous dire :"),
        "suggest_close": ("Plusieurs affirmations correspondent à peu près aussi bien à votre question, et je ne sais "
                          "pas laquelle vous cherchez :"),
        "suggest_tap": "Touchez un bouton pour l'ouvrir, ou reformulez votre question.",
        "none": ("Aucune affirmation de la base ne correspond à votre question.\n"
                 "La base ne contient que des affirmations choisies par ses modérateurs : cela ne veut pas dire "
                 "que l'affirmation est fausse. Essayez d'autres mots ou noms, ou envoyez la phrase exacte que "
                 "vous avez lue. Votre question est enregistrée pour les modérateurs, qui examinent les "
                 "questions sans réponse."),
        "help": ("Je retrouve une affirmation dans une base tenue par des modérateurs et je vous dis <b>qui l'a dite</b> et "
                 "<b>à quel point directement</b> :\n"
                 "✅ <b>explicite</b> : la source citée le dit ;\n"
                 "🔎 <b>inféré</b> : une interprétation, ou une chaîne d'affirmations qu'aucune source ne "
                 "formule en entier.\n"
                 "Je ne dis pas si une affirmation est vraie.\n\n"
                 "Envoyez-moi une question, par exemple :\n"
                 "• <i>Qu'a dit Yusov ?</i>\n"
                 "• <i>L'Ukraine soutient-elle les djihadistes au Mali ?</i>\n\n"
                 "/ask &lt;question&gt; : chercher une affirmation\n"
                 "/claim &lt;id&gt; : afficher une affirmation\n"
                 "/why &lt;id&gt; : sur quoi repose une affirmation inférée, jusqu'aux sources\n"
                 "/lang fr|en : langue des réponses\n"
                 "/privacy : ce que je garde de vos questions\n"
                 "/help : ce message"),
        "privacy": ("<b>Ce que je garde</b>\n"
                    "• Chaque question que vous me posez (son texte, jusqu'à 1 000 caractères), sa date et ma réponse ;\n"
                    "• votre identifiant Telegram, et dans une conversation privée celui de la conversation et la "
                    "langue ;\n"
                    "• vos 👍/👎 sur mes réponses.\n"
                    "Dans les groupes, seulement ce qui m'est adressé : /ask, /check, mentions et réponses à mes "
                    "messages ; en mode inline, l'affirmation choisie.\n"
                    "Ni nom ni nom d'utilisateur. Les modérateurs de la base lisent les questions restées sans "
                    "réponse, pour ajouter ce qui manque.\n"
                    "{kept}"),
        "privacy_days": "Les questions sont effacées au bout de {days} jours.",
        "privacy_forever": "Les questions sont gardées jusqu'à ce que les exploitants du bot les effacent.",
        "start": "Bonjour ! ",
        "small_talk": ("👋 Je retrouve des affirmations dans une base tenue par des modérateurs, et je vous dis qui "
                       "les a faites et à quel point directement (je ne dis pas si elles sont vraies). Posez-moi "
                       "une question sur ce que vous avez lu, par exemple : <i>L'Ukraine soutient-elle les "
                       "djihadistes au Mali ?</i> Envoyez /help pour en savoir plus."),
        "ask_usage": "Envoyez /ask suivi de votre question, par exemple : /ask Pourquoi le Mali a-t-il rompu avec l'Ukraine ?",
        "claim_usage": "Envoyez /claim suivi d'un identifiant, par exemple : /claim {example}",
        "why_usage": "Envoyez /why suivi d'un identifiant, par exemple : /why {example}",
        "unknown_id": "Aucune affirmation n'a l'identifiant {id}. Posez plutôt une question, je la chercherai.",
        "unknown_link": ("Ce lien n'ouvre aucune affirmation : il est inconnu ou périmé. Posez-moi plutôt une "
                         "question, je la chercherai."),
        "why_head": "Pourquoi c'est inféré, étape par étape :",
        "why_see": "son raisonnement : /why {id}",
        "why_gap": "… (omis pour tenir en un message)",
        "why_cut": "La chaîne d'une étape : /why suivi de son identifiant.",
        "why_explicit": "Cette affirmation est explicite : sa source l'affirme directement, il n'y a pas de chaîne à montrer.",
        "lang_usage_chosen": "Envoyez /lang fr ou /lang en. Je réponds en {lang}, comme vous l'avez choisi avec /lang.",
        "lang_usage_telegram": ("Envoyez /lang fr ou /lang en pour choisir. D'ici là, je réponds en {lang}, la "
                                "langue de votre application Telegram."),
        "lang_usage_auto": ("Envoyez /lang fr ou /lang en pour choisir. D'ici là, je réponds dans la langue de votre "
                            "application Telegram si c'est le français ou l'anglais ; sinon dans la langue de votre "
                            "question ou, si elle n'est pas claire (et pour /help et les boutons), dans celle de "
                            "votre dernière question."),
        "lang_set": "Désormais, je réponds en français.",
        "error": "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
        "not_text": "Je ne lis que du texte. Envoyez votre question sous forme de message.",
        "not_a_file": "Je n'ouvre pas les fichiers. Envoyez votre question sous forme de message texte.",
        "lang_name_fr": "français",
        "lang_name_en": "anglais",
    },
}

SOURCE_KIND_NAMES = {
    "en": {"official statement": "official statement", "press": "press", "research institute": "research institute",
           "author": "author of the article", "reader comment": "reader comment", "other": "other"},
    "fr": {"official statement": "déclaration officielle", "press": "presse", "research institute": "institut de recherche",
           "author": "auteur de l'article", "reader comment": "commentaire de lecteur", "other": "autre"},
}


def t(lang: str, key: str, /, **values: object) -> str:
    table = STRINGS.get(lang, STRINGS[DEFAULT_LANG])
    text = table.get(key) or STRINGS[DEFAULT_LANG][key]
    return text.format(**values) if values else text


def normalize_lang(code: str | None) -> str | None:
    """'fr' or 'en' from a Telegram language_code such as 'fr-FR', else None."""
    if not code:
        return None
    base = code.split("-")[0].lower()
    return base if base in SUPPORTED else None


def pick_lang(chosen: str | None, language_code: str | None, question: str | None,
              remembered: str | None = None) -> str:
    """The reply language: the user's /lang choice, else Telegram's language_code, else the question's, else
    remembered (e.g. the language of the user's last question), else English."""
    return (normalize_lang(chosen) or normalize_lang(language_code)
            or (guess_lang(question) if question else None) or normalize_lang(remembered) or DEFAULT_LANG)


def _reply_markers(lang: str) -> tuple[str, ...]:
    """Fixed phrases that only a reply of the bot in lang holds (a card's label, a suggestion list's lines)."""
    return (t(lang, "claim") + t(lang, "colon"), t(lang, "suggest_head"), t(lang, "suggest_close"),
            t(lang, "suggest_numbers"), t(lang, "suggest_tap"), t(lang, "why_head"))


def language_of_reply(text: str | None) -> str | None:
    """The language one of the bot's own replies (a card, a suggestion list) was written in, from its fixed
    labels; None when they do not tell. Its words cannot tell: an English card quotes French sources."""
    if not text:
        return None
    found = [lang for lang in SUPPORTED if any(marker in text for marker in _reply_markers(lang))]
    return found[0] if len(found) == 1 else None
