"""Moderators' reply strings in French and English (Telegram HTML; values are escaped by the caller).

A key read with tn() holds "singular|plural", chosen by the count n (French: 0 and 1 are singular).
Messages from knowledge/ (a refused change, a file error) stay in English: they are domain messages.
"""

from __future__ import annotations

from knowledge.edits import FIELDS_HELP

from .i18n import DEFAULT_LANG

# what /edit says before it makes a claim explicit, and an import's summary when it does (CLAIMS.md)
STATED_REMINDER = {
    "en": ("⚠️ Explicit means the stated source says this claim itself, in words that carry it; an interpretation "
           "stays inferred."),
    "fr": ("⚠️ Explicite veut dire que la source nommée dit elle-même cette affirmation, en des mots qui la portent ; "
           "une interprétation reste inférée."),
}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # help and menus
        "help": (
            "<b>Moderator commands</b>\n"
            "/add: a new claim, step by step (/cancel stops)\n"
            "/edit &lt;id&gt;: change a claim step by step; /edit &lt;id&gt; &lt;field&gt; &lt;value&gt; in one go "
            "(one that makes a claim explicit, or changes an explicit claim's sources, shows the card and asks you "
            "to confirm)\n"
            "/alias &lt;id&gt; &lt;phrase&gt;: another way people ask for it\n"
            "/link &lt;id&gt; &lt;rests-on-id&gt;: what an inferred claim rests on\n"
            "/retire &lt;id&gt; &lt;reason&gt; · /restore &lt;id&gt;: retired claims never answer, their history stays\n"
            "/history &lt;id&gt;: who changed what and when · /undo &lt;change-id&gt;\n"
            "/export [json]: the whole base as a file · /import: check a YAML/JSON file, apply on confirm\n"
            "/pending: changes waiting for a second moderator ({pending}); /pending &lt;n&gt; shows one in full · "
            "/reject &lt;n&gt; [reason]\n"
            "/unmatched [days]: questions with no answer or a 👎 · /stats [days]\n"
            "/lang fr|en: reply language\n\n"
            "<i>Fields</i>: {fields}"),
        "fields_help": FIELDS_HELP,
        "refused": "This command is for the moderators of this bot.",
        "wrong_chat": "Moderator commands work in a private chat with me or in the moderators' group.",
        # changes, history, undo
        "done": "✅ Saved as change <b>#{id}</b> ({action}). Undo: /undo {id}",
        "not_changed": "❌ Not changed: {reason}",
        "added": "added",
        "removed": "removed",
        "by_moderator": "moderator {id}",
        "items_more": "(+{n} more)",
        "history_none": "No recorded change to <code>{id}</code> (it came with the base).",
        "history_head": "History of <code>{id}</code> ({changes}, newest last):",
        "history_head_latest": ("History of <code>{id}</code>: the latest {shown} of {changes}, newest last (every "
                                "one: <code>python -m knowledge history {id}</code> on the server; /undo takes "
                                "any change id):"),
        "history_undo": "Undo one with /undo &lt;change-id&gt;.",
        "history_gone": ("🗑 <code>{id}</code> is no longer in the base: change <b>#{entry}</b> took it out "
                         "(/undo {entry} puts it back)."),
        "n_changes": "{n} change|{n} changes",
        "telling": "📣 Telling {people} who saw it in the last {days}.",
        "n_days": "{n} day|{n} days",
        "n_last_days": "last {n} day|last {n} days",
        "n_people": "{n} person|{n} people",
        "still_rests": "Note: <code>{id}</code> still rests on it.",
        "action_add": "add",
        "action_edit": "edit",
        "action_alias": "alias",
        "action_link": "link",
        "action_retire": "retire",
        "action_restore": "restore",
        "action_undo": "undo",
        "action_import": "import",
        # one-step commands
        "usage_alias": "Usage: /alias &lt;id&gt; &lt;phrase people type&gt;",
        "usage_link": "Usage: /link &lt;id&gt; &lt;id of the claim it rests on&gt;",
        "usage_retire": "Usage: /retire &lt;id&gt; &lt;reason&gt; (the claim stops answering; its history stays)",
        "usage_restore": "Usage: /restore &lt;id&gt;",
        "usage_undo": "Usage: /undo &lt;change-id&gt; (the number /history shows)",
        "usage_history": "Usage: /history &lt;id&gt;",
        "usage_import": ("Usage: /import, then send the claim file; /import retire-missing to also retire the claims "
                         "the file does not hold; or send the file captioned /import. Nothing was read."),
        "no_such_claim": "There is no claim with the id <code>{id}</code>.",
        "usage_stats": "Usage: /stats [days] (days: a whole number from 1 to {max}; 14 when not given)",
        "usage_unmatched": "Usage: /unmatched [days] (days: a whole number from 1 to {max}; 30 when not given)",
        "usage_edit": ("Usage: /edit &lt;id&gt; (step by step) or /edit &lt;id&gt; &lt;field&gt; &lt;value&gt;. "
                       "/modhelp lists the fields."),
        "export_caption": ("{claims} ({active}, {retired}). Edit and send it back with /import; "
                           "<code>python -m knowledge diff FILE</code> on the server shows what it would change."),
        "n_claims": "{n} claim|{n} claims",
        "nothing_to_cancel": "Nothing to cancel.",
        "step_over": "This step is over (finished, cancelled or timed out).",
        # review queue
        "question_gone": "That question is no longer in the log.",
        "dismissed": "🗑 Dismissed « {text} » ({questions}).",
        "already_dismissed": "🗑 « {text} » was already dismissed. Nothing was written.",
        "already_alias": ("« {text} » was already taken off the list: it is an alias of <code>{id}</code>. Nothing "
                          "was written."),
        "already_added": ("« {text} » was already taken off the list: it became an alias of the new claim "
                          "<code>{id}</code>. Nothing was written."),
        "n_questions": "{n} question|{n} questions",
        "unmatched_none": ("Nothing to review: every question of the last {days} got an answer, "
                           "and none got a 👎."),
        "unmatched_head": ("<b>To review</b> ({groups}, {days}): questions with no answer "
                           "(nothing found, or only suggestions) or a 👎, similar ones grouped."),
        "n_groups": "{n} group|{n} groups",
        "why_none": "no match {n}",
        "why_suggested": "only suggestions {n}",
        "why_last": "last {date}",
        "semicolon": "; ",
        "answered_with": "answered with: ",
        "more_groups": "… and {more}.",
        "n_more_groups": "{n} more group|{n} more groups",
        "unmatched_legend": "➕ makes the question an alias of a claim; 🆕 starts /add with it; 🗑 takes it off the list.",
        "button_alias": "{n}. ➕ alias",
        "button_new": "{n}. 🆕 new claim",
        "button_dismiss": "{n}. 🗑 dismiss",
        "candidates_head": "Attach « {text} » ({count}×) as an alias of which claim?",
        "candidates_or": "Or send: /alias &lt;id&gt; {text}",
        # stats
        "stats_head": "<b>Stats, {days}</b>",
        "stats_base": "Base: {active} ({explicit}, {inferred}), {retired}; {changes}.",
        "n_active": "{n} active claim|{n} active claims",
        "n_active_short": "{n} active|{n} active",
        "n_explicit": "{n} explicit|{n} explicit",
        "n_inferred": "{n} inferred|{n} inferred",
        "n_retired": "{n} retired|{n} retired",
        "n_recorded": "{n} recorded change|{n} recorded changes",
        "stats_questions": ("Questions: {total}. Answered {answer}, suggested {suggest}, none {none}. "
                            "Feedback: 👍 {up} · 👎 {down}."),
        "per_day": "<b>Per day</b> (days with questions):",
        "per_day_none": "<b>Per day</b>: no questions in these days.",
        "per_day_earlier": "… and {days}",
        "n_earlier_days": "{n} earlier day with questions|{n} earlier days with questions",
        "top_claims": "<b>Top claims</b>:",
        "top_unmatched": "<b>Most asked to review</b> (no answer, or a 👎; /unmatched):",
        "kept_days": "🗓 Questions are kept {days}, then deleted (CLAIMBOT_QUESTIONS_KEEP_DAYS).",
        "kept_forever": "🗓 Questions are kept without limit (CLAIMBOT_QUESTIONS_KEEP_DAYS=forever).",
        # import
        "plan_head": "📄 <b>{name}</b>: {claims}.",
        "plan_rejected": ("❌ <b>Rejected</b>: {errors}. Nothing was changed; fix the file and send it again."),
        "n_errors": "{n} error|{n} errors",
        "plan_error": "{who}, field <code>{field}</code>: {message}",
        "and_more": "… and {n} more",
        "plan_would": "Importing would give: {counts}.",
        "n_new": "{n} new|{n} new",
        "n_changed": "{n} changed|{n} changed",
        "n_restored": "{n} restored|{n} restored",
        "n_removed": "{n} removed|{n} removed",
        "n_unchanged": "{n} unchanged|{n} unchanged",
        "plan_new": "<b>New</b>:",
        "plan_changed": "<b>Changed</b>:",
        "plan_retired": "<b>Retired</b>:",
        "plan_restored": "<b>Restored</b>:",
        "plan_removed": "<b>Removed</b>:",
        "plan_predating": "⚠️ <b>Older than the base</b>: this file would undo later changes.",
        "plan_predates": ("this file's version of <code>{id}</code> ({file}) predates the base's change of {base}; "
                          "importing it undoes it"),
        "plan_changed_after": ("<code>{id}</code> was changed by #{change} at {time}, after this file was exported "
                               "({exported}); importing this file's version undoes it"),
        "plan_stated": STATED_REMINDER["en"] + " After this import, readers will read that the sources of these "
                                               "claims state them themselves: {ids}",
        "plan_whole": ("The whole plan, each change in full: <code>python -m knowledge diff FILE{option}</code> on "
                       "the server."),
        "plan_apply": "A backup of the base is made before anything is written. Apply?",
        "plan_nothing": "The file changes nothing.",
        "button_apply": "✅ Apply",
        "button_cancel": "✖ Cancel",
        "button_save": "✅ Save",
        "import_prompt": ("Send the claim file (YAML or JSON, as exported by /export) as a document, or /cancel. "
                          "Claims the file does not hold are kept; /import retire-missing retires them. "
                          "Nothing is written before you confirm."),
        "import_prompt_retire": ("Send the claim file (YAML or JSON, as exported by /export) as a document, or "
                                 "/cancel. <b>Claims the file does not hold will be retired</b> (they stop answering; "
                                 "their history stays, /restore brings one back); the summary lists them. Nothing is "
                                 "written before you confirm."),
        "file_without_import": ("📎 This file was not read. To import a claim file, send /import (or /import "
                                "retire-missing), then the file; or send the file with the caption /import."),
        "import_kind": "❌ Send a .yaml, .yml, .json or .jsonl file, or /cancel.",
        "import_too_big": ("❌ The file is larger than 20 MB, the most Telegram lets a bot download. "
                           "Use python -m knowledge import on the server."),
        "import_not_utf8": "❌ The file is not UTF-8 text. Send another, or /cancel.",
        "import_bad_file": "❌ {error}\nSend another file, or /cancel.",
        "import_empty": "❌ {name} holds no claims. Nothing was changed; send another file, or /cancel.",
        "import_stale": ("This summary is out of date: a newer file was sent. Nothing was changed; use the "
                         "latest summary."),
        "import_not_yours": "Only the moderator who sent this file can apply it. Nothing was changed.",
        "import_base_changed": ("The base changed since this summary; nothing was written. "
                                "Send the file again to see what it would change now."),
        "store_changed": ("⚠️ Not saved: the claim base was changed outside the bot (by <code>python -m knowledge"
                          "</code> or another program) since the bot loaded it. Your change was not saved, so that the "
                          "other one is not lost, and the bot saves no change until it is restarted: ask whoever runs "
                          "it to restart it, which loads the new version, then make your change again."),
        "imported": "✅ Imported <b>{name}</b> as change <b>#{id}</b>: {counts}.",
        "imported_backup": "Backup of the base before: <code>{backup}</code>. Undo: /undo {id}",
        "telling_import": "📣 Telling {people} who saw a changed claim.",
        # /add, step by step
        "add_fr": "🆕 <b>New claim</b>. Step 1: the claim <b>in French</b>, as the source words it, or /skip.",
        "add_en": "Step 2: the claim <b>in English</b> (a faithful translation), or /skip.",
        "add_link": "Step 3: how is the claim linked to its source?",
        "button_explicit": "✅ explicit: a source says it",
        "button_inferred": "🔎 inferred: an interpretation",
        "add_inferrer": "Step 4: who makes this inference (e.g. the article's author)? Send the name, or /skip.",
        "add_source": "Step 4: who states it? Send the source's name (person, office, outlet).",
        "add_kind": "What kind of source is « {name} »? Tap one, or type it.",
        "kind_again": "❌ « {kind} » is not a kind of source. Tap one, or type one of: {kinds}.",
        "add_date": "Its date, as precise as known: 2024-07-29, 2024-07 or 2024, or /skip.",
        "add_quote": "The source's own words, as quoted where it was read, or /skip.",
        "add_url": "A link to the source (http…), only if you have it, or /skip. Never guess one.",
        "add_more": "Source saved. Another one?",
        "button_more": "➕ another source",
        "button_go_on": "➡️ go on",
        "add_stated_in": "Where was the claim read? Send « title | author » (either may stay empty), or /skip.",
        "add_rests_on": ("Which claims does the inference rest on? Their ids, separated by spaces (a claim not in "
                         "the base yet: /cancel and /add it first)."),
        "add_reasoning": "In one sentence: who infers what from what?",
        "add_aliases": ("Other ways people may ask for it (names, phrasings, any language), one a line or separated "
                        "by |, or /skip."),
        "add_aliases_have": " Already: « {aliases} ».",
        "add_id": ("Its id: <code>{id}</code>. Keep it, or send another (letters, digits, - _ . :, at most 48)."),
        "button_keep_id": "✅ keep this id",
        "button_view_fr": "👁 as a French reader sees it",
        "button_view_en": "👁 as an English reader sees it",
        "from_queue": "From the review queue: « {text} » ({count}×) becomes an alias of the new claim.",
        "again_or_skip": "❌ {error}. Send it again, /skip or /cancel.",
        "needs_text": "A claim needs a text in French or English: send the English text.",
        "name_again": "❌ {error}. Send the name again.",
        "needs_source": "An explicit claim needs the source that states it: send its name.",
        "unknown_ids": "❌ No claim has the id(s): {ids}. Send the ids again, or /cancel.",
        "no_ids": "(none)",
        "needs_rests_on": "An inferred claim records the claims it rests on: send their ids, or /cancel.",
        "needs_reasoning": "An inferred claim records, in one sentence, who infers what: send it, or /cancel.",
        "id_again": "❌ {error}. Send another id.",
        "add_cannot": "❌ This claim cannot be saved as it is: {error}.",
        # /edit
        "edit_which": "✏️ Editing <code>{id}</code>. Which field?",
        "edit_now": "<b>{field}</b> is now: {value}\nSend the new value ('-' clears it), or /cancel.",
        "edit_again": "❌ {error}\nSend another value, or /cancel.",
        "edit_stated_warning": STATED_REMINDER["en"] + " Readers will see the card below: save it?",
        "edit_drops": ("Saving also drops {what}: an explicit claim rests on no other claim and has no reasoning "
                       "(/undo puts them back)."),
        "drops_rests_on": "what it rests on ({ids})",
        "drops_reasoning": "its reasoning",
        "and": " and ",
        "edit_stale": "This card is out of date: a newer one is open. Nothing was changed; use the latest card.",
        "edit_not_yours": "Only the moderator who asked for this change can confirm it. Nothing was changed.",
        "edit_changed_since": ("❌ Not saved: <code>{id}</code> changed since this preview. Nothing was written; "
                               "send the /edit again to see the card as it would be now."),
        # ends of conversations
        "cancelled": "Cancelled. Nothing was changed.",
        "n_minutes": "{n} idle minute|{n} idle minutes",
        "n_seconds": "{n} idle second|{n} idle seconds",
        "after_timeout": ("⌛ Your /{name} had already stopped (idle) when this message came: it was not kept, nor "
                          "looked up as a question. Send /{name} to start again."),
        "busy_other": "You are in the middle of /{other}: finish it, or /cancel first.",
        "busy": "You are in the middle of a step-by-step change: answer the last question, or /cancel first.",
        "send_a_file": "Send the claim file as a document (📎), or /cancel.",
        "tap_a_button": "Please answer with the buttons above, or /cancel.",
        "timed_out": "⌛ Stopped after {minutes}. Nothing was changed; start again when you are ready.",
        # four eyes for explicit links (EXPLICIT_NEEDS_SECOND_MODERATOR)
        "help_pending_on": ("A change that makes a claim explicit, adds an explicit claim or changes an explicit "
                            "claim's sources goes live only once another moderator approves it."),
        "n_waiting": "{n} waiting|{n} waiting",
        "pending_waiting": ("⏳ <b>Not live yet</b>: saved as pending change <b>P{id}</b>, which waits for a second "
                            "moderator (a claim stated by its sources needs two). The claim stays as it was, and "
                            "readers see nothing of this, until another moderator approves it: /pending {id}"),
        "pending_to_group": "⏳ Pending change <b>P{id}</b> by {who} waits for a second moderator: /pending {id}",
        "pending_none": "No change is waiting for a second moderator.",
        "pending_head": ("<b>Waiting for a second moderator</b> ({changes}, oldest first). ✅ applies one exactly as "
                         "shown; ✖ rejects it (to say why: /reject &lt;n&gt; &lt;reason&gt;). Its author cannot "
                         "approve it."),
        "n_pending": "{n} change|{n} changes",
        "pending_more": "… and {n} more: /pending &lt;n&gt; shows any of them.",
        "pending_one_head": "<b>Pending change P{id}</b> ({status})",
        "status_open": "waiting for a second moderator",
        "status_approved": "approved",
        "status_rejected": "rejected",
        "pending_new_claim": "new claim:",
        "pending_claims_more": "… and {n} more claims: /pending {id}",
        "pending_stated": "Readers would read as stated by their sources: {ids}",
        "pending_outdated": ("⚠️ Changed since it was proposed: {ids}. It cannot be applied as proposed: reject it "
                             "and propose it again."),
        "pending_card": "<b>Readers would see</b>:",
        "pending_reminder": STATED_REMINDER["en"] + " Check the source and its quote before approving.",
        "pending_approved_by": "Approved by {who} as change <b>#{entry}</b> on {time}.",
        "pending_rejected_by": "Rejected by {who} on {time}{reason}.",
        "reason": ": « {reason} »",
        "button_approve": "✅ approve P{id}",
        "button_reject": "✖ reject P{id}",
        "approved_extra": "Proposed by {author} as pending change P{id}; approved by {who}.",
        "approve_own": "You proposed this change: another moderator approves it. Nothing was changed.",
        "approve_stale": "This button is not this pending change's any more. Nothing was changed; see /pending.",
        "approve_unknown": "There is no pending change P{id}. Nothing was changed; see /pending.",
        "approve_decided": "Pending change P{id} is already {status}. Nothing was changed.",
        "approve_outdated": ("❌ Not applied: {ids} changed since pending change <b>P{id}</b> was proposed, and "
                             "applying it would overwrite that. Nothing was written; reject it (/reject {id} "
                             "&lt;reason&gt;) and propose the change again."),
        "rejected_done": "✖ Rejected pending change <b>P{id}</b> (proposed by {author}){reason}. The base is unchanged.",
        "author_approved": "✅ Your pending change <b>P{id}</b> was approved by {who}: live as change <b>#{entry}</b>.",
        "author_rejected": "✖ Your pending change <b>P{id}</b> was rejected by {who}{reason}.",
        "usage_pending": "Usage: /pending (the changes waiting) or /pending &lt;n&gt; (one in full)",
        "usage_reject": "Usage: /reject &lt;n&gt; [reason] (n: the number /pending shows, P3 or 3)",
        "stats_pending": "⏳ {changes} waiting for a second moderator: /pending",
        "edit_second": ("✅ does not make it live: it goes to a second moderator, and readers see it once another "
                        "moderator approves it."),
        "plan_propose": ("This file makes claims stated by their sources: ✅ sends it whole to a second moderator; it "
                         "is applied (after a backup of the base) once another moderator approves it. Send it?"),
        "approved_by": "approved by moderator {id}",
        "history_proposals": "<b>Proposed, not applied</b>:",
    },
    "fr": {
        "help": (
            "<b>Commandes des modérateurs</b>\n"
            "/add : une nouvelle affirmation, pas à pas (/cancel arrête)\n"
            "/edit &lt;id&gt; : modifier une affirmation pas à pas ; /edit &lt;id&gt; &lt;champ&gt; &lt;valeur&gt; "
            "d'un coup (s'il rend une affirmation explicite, ou change les sources d'une affirmation explicite, il "
            "montre la fiche et demande confirmation)\n"
            "/alias &lt;id&gt; &lt;phrase&gt; : une autre façon de la demander\n"
            "/link &lt;id&gt; &lt;id-de-base&gt; : ce sur quoi repose une affirmation inférée\n"
            "/retire &lt;id&gt; &lt;raison&gt; · /restore &lt;id&gt; : une affirmation retirée ne répond plus, "
            "son historique reste\n"
            "/history &lt;id&gt; : qui a changé quoi et quand · /undo &lt;n° de modification&gt;\n"
            "/export [json] : toute la base dans un fichier · /import : vérifier un fichier YAML/JSON, "
            "l'appliquer après confirmation\n"
            "/pending : modifications en attente d'un second modérateur ({pending}) ; /pending &lt;n&gt; en montre "
            "une en entier · /reject &lt;n&gt; [raison]\n"
            "/unmatched [jours] : questions sans réponse ou avec un 👎 · /stats [jours]\n"
            "/lang fr|en : langue des réponses\n\n"
            "<i>Champs</i> : {fields}"),
        "fields_help": (
            "text.fr, text.en, title, link, reasoning.fr, reasoning.en, rests_on (ids), aliases (a | b), "
            "tags (a, b), stated_in.title|author|part|url|date, sources.N.name|kind|date|quote|url "
            "(N à partir de 1 ; N = le nombre de sources plus un ajoute une source), sources.N (la valeur - la "
            "supprime), sources.N.name.fr|en et stated_in.part.fr|en (une forme par langue ; un texte unique vaut "
            "pour l'autre langue). La valeur - vide un champ."),
        "refused": "Cette commande est réservée aux modérateurs de ce bot.",
        "wrong_chat": ("Les commandes des modérateurs s'utilisent en discussion privée avec moi ou dans le groupe "
                       "des modérateurs."),
        "done": "✅ Enregistré comme modification <b>n° {id}</b> ({action}). Annuler : /undo {id}",
        "not_changed": "❌ Rien n'a été modifié : {reason}",
        "added": "ajoutée",
        "removed": "supprimée",
        "by_moderator": "modérateur {id}",
        "items_more": "(+{n} autres)",
        "history_none": "Aucune modification enregistrée pour <code>{id}</code> (elle vient avec la base).",
        "history_head": "Historique de <code>{id}</code> ({changes}, la plus récente en dernier) :",
        "history_head_latest": ("Historique de <code>{id}</code> : les {shown} plus récentes sur {changes}, la plus "
                                "récente en dernier (toutes : <code>python -m knowledge history {id}</code> sur le "
                                "serveur ; /undo prend n'importe quel n° de modification) :"),
        "history_undo": "Pour en annuler une : /undo &lt;n° de modification&gt;.",
        "history_gone": ("🗑 <code>{id}</code> n'est plus dans la base : la modification <b>n° {entry}</b> l'en a "
                         "retirée (/undo {entry} la rétablit)."),
        "n_changes": "{n} modification|{n} modifications",
        "telling": "📣 Je préviens {people} à qui elle a été montrée depuis {days}.",
        "n_days": "{n} jour|{n} jours",
        "n_last_days": "{n} dernier jour|{n} derniers jours",
        "n_people": "{n} personne|{n} personnes",
        "still_rests": "Attention : <code>{id}</code> repose toujours sur elle.",
        "action_add": "ajout",
        "action_edit": "modification",
        "action_alias": "alias",
        "action_link": "lien",
        "action_retire": "retrait",
        "action_restore": "restauration",
        "action_undo": "annulation",
        "action_import": "import",
        "usage_alias": "Syntaxe : /alias &lt;id&gt; &lt;phrase que les gens tapent&gt;",
        "usage_link": "Syntaxe : /link &lt;id&gt; &lt;id de l'affirmation sur laquelle elle repose&gt;",
        "usage_retire": ("Syntaxe : /retire &lt;id&gt; &lt;raison&gt; (l'affirmation ne répond plus ; son historique "
                         "reste)"),
        "usage_restore": "Syntaxe : /restore &lt;id&gt;",
        "usage_undo": "Syntaxe : /undo &lt;n° de modification&gt; (le numéro que montre /history)",
        "usage_history": "Syntaxe : /history &lt;id&gt;",
        "usage_import": ("Syntaxe : /import, puis envoyez le fichier d'affirmations ; /import retire-missing pour "
                         "retirer aussi les affirmations absentes du fichier ; ou envoyez le fichier avec la légende "
                         "/import. Rien n'a été lu."),
        "no_such_claim": "Aucune affirmation n'a l'identifiant <code>{id}</code>.",
        "usage_stats": "Syntaxe : /stats [jours] (jours : un nombre entier de 1 à {max} ; 14 par défaut)",
        "usage_unmatched": "Syntaxe : /unmatched [jours] (jours : un nombre entier de 1 à {max} ; 30 par défaut)",
        "usage_edit": ("Syntaxe : /edit &lt;id&gt; (pas à pas) ou /edit &lt;id&gt; &lt;champ&gt; &lt;valeur&gt;. "
                       "/modhelp liste les champs."),
        "export_caption": ("{claims} ({active}, {retired}). Modifiez le fichier et renvoyez-le avec "
                           "/import ; <code>python -m knowledge diff FICHIER</code> sur le serveur montre ce qu'il "
                           "changerait."),
        "n_claims": "{n} affirmation|{n} affirmations",
        "nothing_to_cancel": "Rien à annuler.",
        "step_over": "Cette étape est terminée (finie, annulée ou expirée).",
        "question_gone": "Cette question n'est plus dans le journal.",
        "dismissed": "🗑 Écartée : « {text} » ({questions}).",
        "already_dismissed": "🗑 « {text} » a déjà été écartée. Rien n'a été écrit.",
        "already_alias": ("« {text} » a déjà quitté la liste : c'est un alias de <code>{id}</code>. Rien n'a été "
                          "écrit."),
        "already_added": ("« {text} » a déjà quitté la liste : elle est devenue un alias de la nouvelle affirmation "
                          "<code>{id}</code>. Rien n'a été écrit."),
        "n_questions": "{n} question|{n} questions",
        "unmatched_none": ("Rien à examiner : depuis {days}, toutes les questions ont eu une réponse, "
                           "et aucune n'a reçu de 👎."),
        "unmatched_head": ("<b>À examiner</b> ({groups}, {days}) : questions sans réponse "
                           "(rien trouvé, ou seulement des suggestions) ou avec un 👎, les questions proches "
                           "regroupées."),
        "n_groups": "{n} groupe|{n} groupes",
        "why_none": "sans réponse {n}",
        "why_suggested": "suggestions seules {n}",
        "why_last": "dernière le {date}",
        "semicolon": " ; ",
        "answered_with": "réponses données : ",
        "more_groups": "… et {more}.",
        "n_more_groups": "{n} autre groupe|{n} autres groupes",
        "unmatched_legend": ("➕ fait de la question un alias d'une affirmation ; 🆕 lance /add avec elle ; "
                             "🗑 la retire de la liste."),
        "button_alias": "{n}. ➕ alias",
        "button_new": "{n}. 🆕 nouvelle",
        "button_dismiss": "{n}. 🗑 écarter",
        "candidates_head": "Rattacher « {text} » ({count}×) comme alias de quelle affirmation ?",
        "candidates_or": "Ou envoyez : /alias &lt;id&gt; {text}",
        "stats_head": "<b>Statistiques, {days}</b>",
        "stats_base": "Base : {active} ({explicit}, {inferred}), {retired} ; {changes}.",
        "n_active": "{n} affirmation active|{n} affirmations actives",
        "n_active_short": "{n} active|{n} actives",
        "n_explicit": "{n} explicite|{n} explicites",
        "n_inferred": "{n} inférée|{n} inférées",
        "n_retired": "{n} retirée|{n} retirées",
        "n_recorded": "{n} modification enregistrée|{n} modifications enregistrées",
        "stats_questions": ("Questions : {total}. Avec réponse {answer}, suggestions seules {suggest}, "
                            "sans réponse {none}. Avis : 👍 {up} · 👎 {down}."),
        "per_day": "<b>Par jour</b> (jours avec des questions) :",
        "per_day_none": "<b>Par jour</b> : aucune question sur cette période.",
        "per_day_earlier": "… et {days}",
        "n_earlier_days": "{n} jour plus ancien avec des questions|{n} jours plus anciens avec des questions",
        "top_claims": "<b>Affirmations les plus montrées</b> :",
        "top_unmatched": "<b>Les plus demandées, à examiner</b> (sans réponse, ou un 👎 ; /unmatched) :",
        "kept_days": ("🗓 Les questions sont conservées {days}, puis effacées "
                      "(CLAIMBOT_QUESTIONS_KEEP_DAYS)."),
        "kept_forever": ("🗓 Les questions sont conservées sans limite de durée "
                         "(CLAIMBOT_QUESTIONS_KEEP_DAYS=forever)."),
        "plan_head": "📄 <b>{name}</b> : {claims}.",
        "plan_rejected": ("❌ <b>Refusé</b> : {errors}. Rien n'a été modifié ; corrigez le fichier et "
                          "renvoyez-le."),
        "n_errors": "{n} erreur|{n} erreurs",
        "plan_error": "{who}, champ <code>{field}</code> : {message}",
        "and_more": "… et {n} de plus",
        "plan_would": "L'import donnerait : {counts}.",
        "n_new": "{n} nouvelle|{n} nouvelles",
        "n_changed": "{n} modifiée|{n} modifiées",
        "n_restored": "{n} restaurée|{n} restaurées",
        "n_removed": "{n} supprimée|{n} supprimées",
        "n_unchanged": "{n} inchangée|{n} inchangées",
        "plan_new": "<b>Nouvelles</b> :",
        "plan_changed": "<b>Modifiées</b> :",
        "plan_retired": "<b>Retirées</b> :",
        "plan_restored": "<b>Restaurées</b> :",
        "plan_removed": "<b>Supprimées</b> :",
        "plan_predating": "⚠️ <b>Plus ancien que la base</b> : ce fichier annulerait des modifications ultérieures.",
        "plan_predates": ("la version de <code>{id}</code> dans ce fichier ({file}) est antérieure à la modification "
                          "de la base du {base} ; l'importer l'annule"),
        "plan_changed_after": ("<code>{id}</code> a changé (modification n° {change}, le {time}) après l'export de ce "
                               "fichier ({exported}) ; importer la version de ce fichier l'annule"),
        "plan_stated": STATED_REMINDER["fr"] + " Après cet import, les lecteurs liront que les sources de ces "
                                               "affirmations les disent elles-mêmes : {ids}",
        "plan_whole": ("Le plan entier, chaque modification en entier : <code>python -m knowledge diff "
                       "FICHIER{option}</code> sur le serveur."),
        "plan_apply": "Une sauvegarde de la base est faite avant toute écriture. Appliquer ?",
        "plan_nothing": "Le fichier ne change rien.",
        "button_apply": "✅ Appliquer",
        "button_cancel": "✖ Annuler",
        "button_save": "✅ Enregistrer",
        "import_prompt": ("Envoyez le fichier d'affirmations (YAML ou JSON, tel qu'exporté par /export) comme "
                          "document, ou /cancel. Les affirmations absentes du fichier sont gardées ; "
                          "/import retire-missing les retire. Rien n'est écrit avant votre confirmation."),
        "import_prompt_retire": ("Envoyez le fichier d'affirmations (YAML ou JSON, tel qu'exporté par /export) comme "
                                 "document, ou /cancel. <b>Les affirmations absentes du fichier seront retirées</b> "
                                 "(elles ne répondent plus ; leur historique reste, /restore en rétablit une) ; le "
                                 "résumé les liste. Rien n'est écrit avant votre confirmation."),
        "file_without_import": ("📎 Ce fichier n'a pas été lu. Pour importer un fichier d'affirmations, envoyez "
                                "/import (ou /import retire-missing), puis le fichier ; ou envoyez le fichier avec "
                                "la légende /import."),
        "import_kind": "❌ Envoyez un fichier .yaml, .yml, .json ou .jsonl, ou /cancel.",
        "import_too_big": ("❌ Le fichier dépasse 20 Mo, le maximum qu'un bot peut télécharger sur Telegram. "
                           "Utilisez python -m knowledge import sur le serveur."),
        "import_not_utf8": "❌ Le fichier n'est pas du texte UTF-8. Envoyez-en un autre, ou /cancel.",
        "import_bad_file": "❌ {error}\nEnvoyez un autre fichier, ou /cancel.",
        "import_empty": ("❌ {name} ne contient aucune affirmation. Rien n'a été modifié ; envoyez un autre fichier, "
                         "ou /cancel."),
        "import_stale": ("Ce résumé est périmé : un fichier plus récent a été envoyé. Rien n'a été modifié ; "
                         "utilisez le dernier résumé."),
        "import_not_yours": "Seul le modérateur qui a envoyé ce fichier peut l'appliquer. Rien n'a été modifié.",
        "import_base_changed": ("La base a changé depuis ce résumé ; rien n'a été écrit. Renvoyez le fichier pour "
                                "voir ce qu'il changerait maintenant."),
        "store_changed": ("⚠️ Non enregistré : la base a été modifiée hors du bot (par <code>python -m knowledge"
                          "</code> ou un autre programme) depuis que le bot l'a chargée. Votre modification n'a pas été "
                          "enregistrée, pour ne pas perdre l'autre, et le bot n'en enregistre aucune avant d'être "
                          "redémarré : demandez à qui le fait tourner de le redémarrer, ce qui charge la nouvelle "
                          "version, puis refaites votre modification."),
        "imported": "✅ <b>{name}</b> importé comme modification <b>n° {id}</b> : {counts}.",
        "imported_backup": "Sauvegarde de la base d'avant : <code>{backup}</code>. Annuler : /undo {id}",
        "telling_import": "📣 Je préviens {people} à qui une affirmation modifiée a été montrée.",
        "add_fr": ("🆕 <b>Nouvelle affirmation</b>. Étape 1 : l'affirmation <b>en français</b>, telle que la source "
                   "la formule, ou /skip."),
        "add_en": "Étape 2 : l'affirmation <b>en anglais</b> (une traduction fidèle), ou /skip.",
        "add_link": "Étape 3 : quel est le lien entre l'affirmation et sa source ?",
        "button_explicit": "✅ explicite : une source le dit",
        "button_inferred": "🔎 inféré : une interprétation",
        "add_inferrer": ("Étape 4 : qui fait cette inférence (par ex. l'auteur de l'article) ? Envoyez son nom, "
                         "ou /skip."),
        "add_source": "Étape 4 : qui l'affirme ? Envoyez le nom de la source (personne, institution, média).",
        "add_kind": "Quel type de source est « {name} » ? Touchez-en un, ou tapez-le.",
        "kind_again": "❌ « {kind} » n'est pas un type de source. Touchez-en un, ou tapez l'un de : {kinds}.",
        "add_date": "Sa date, aussi précise que connue : 2024-07-29, 2024-07 ou 2024, ou /skip.",
        "add_quote": "Les mots mêmes de la source, tels que cités là où vous l'avez lue, ou /skip.",
        "add_url": "Un lien vers la source (http…), seulement si vous l'avez, ou /skip. N'en devinez jamais un.",
        "add_more": "Source enregistrée. Une autre ?",
        "button_more": "➕ une autre source",
        "button_go_on": "➡️ continuer",
        "add_stated_in": ("Où l'affirmation a-t-elle été lue ? Envoyez « titre | auteur » (l'un ou l'autre peut "
                          "rester vide), ou /skip."),
        "add_rests_on": ("Sur quelles affirmations repose l'inférence ? Leurs identifiants, séparés par des espaces "
                         "(une affirmation pas encore dans la base : /cancel, puis /add d'abord)."),
        "add_reasoning": "En une phrase : qui infère quoi, à partir de quoi ?",
        "add_aliases": ("D'autres façons de la demander (noms, formulations, dans toute langue), une par ligne ou "
                        "séparées par |, ou /skip."),
        "add_aliases_have": " Déjà : « {aliases} ».",
        "add_id": ("Son identifiant : <code>{id}</code>. Gardez-le, ou envoyez-en un autre (lettres, chiffres, "
                   "- _ . :, 48 au plus)."),
        "button_keep_id": "✅ garder cet identifiant",
        "button_view_fr": "👁 vue d'un lecteur francophone",
        "button_view_en": "👁 vue d'un lecteur anglophone",
        "from_queue": ("Depuis la file d'examen : « {text} » ({count}×) devient un alias de la nouvelle "
                       "affirmation."),
        "again_or_skip": "❌ {error}. Renvoyez une valeur corrigée, /skip ou /cancel.",
        "needs_text": "Une affirmation a besoin d'un texte en français ou en anglais : envoyez le texte anglais.",
        "name_again": "❌ {error}. Renvoyez le nom.",
        "needs_source": "Une affirmation explicite a besoin de la source qui l'affirme : envoyez son nom.",
        "unknown_ids": "❌ Aucune affirmation n'a le ou les identifiants : {ids}. Renvoyez-les, ou /cancel.",
        "no_ids": "(aucun)",
        "needs_rests_on": ("Une affirmation inférée indique les affirmations sur lesquelles elle repose : envoyez "
                           "leurs identifiants, ou /cancel."),
        "needs_reasoning": ("Une affirmation inférée indique, en une phrase, qui infère quoi : envoyez-la, "
                            "ou /cancel."),
        "id_again": "❌ {error}. Envoyez un autre identifiant.",
        "add_cannot": "❌ Cette affirmation ne peut pas être enregistrée telle quelle : {error}.",
        "edit_which": "✏️ Modification de <code>{id}</code>. Quel champ ?",
        "edit_now": ("<b>{field}</b> vaut maintenant : {value}\nEnvoyez la nouvelle valeur ('-' la vide), "
                     "ou /cancel."),
        "edit_again": "❌ {error}\nEnvoyez une autre valeur, ou /cancel.",
        "edit_stated_warning": STATED_REMINDER["fr"] + " Les lecteurs verront la fiche ci-dessous : l'enregistrer ?",
        "edit_drops": ("L'enregistrer supprime aussi {what} : une affirmation explicite ne repose sur aucune autre "
                       "et n'a pas de raisonnement (/undo les rétablit)."),
        "drops_rests_on": "ce sur quoi elle repose ({ids})",
        "drops_reasoning": "son raisonnement (reasoning)",
        "and": " et ",
        "edit_stale": ("Cette fiche est périmée : une plus récente est ouverte. Rien n'a été modifié ; utilisez la "
                       "dernière fiche."),
        "edit_not_yours": ("Seul le modérateur qui a demandé cette modification peut la confirmer. Rien n'a été "
                           "modifié."),
        "edit_changed_since": ("❌ Pas enregistré : <code>{id}</code> a changé depuis cet aperçu. Rien n'a été écrit ; "
                               "renvoyez le /edit pour voir la fiche telle qu'elle serait maintenant."),
        "cancelled": "Annulé. Rien n'a été modifié.",
        "n_minutes": "{n} minute d'inactivité|{n} minutes d'inactivité",
        "n_seconds": "{n} seconde d'inactivité|{n} secondes d'inactivité",
        "after_timeout": ("⌛ Votre /{name} était déjà arrêté (inactivité) quand ce message est arrivé : il n'a pas "
                          "été gardé, ni cherché comme une question. Envoyez /{name} pour recommencer."),
        "busy_other": "Vous êtes au milieu de /{other} : terminez-le, ou /cancel d'abord.",
        "busy": ("Vous êtes au milieu d'une modification pas à pas : répondez à la dernière question, ou /cancel "
                 "d'abord."),
        "send_a_file": "Envoyez le fichier d'affirmations comme document (📎), ou /cancel.",
        "tap_a_button": "Répondez avec les boutons ci-dessus, ou /cancel.",
        "timed_out": ("⌛ Arrêté après {minutes}. Rien n'a été modifié ; recommencez quand "
                      "vous serez prêt."),
        "help_pending_on": ("Une modification qui rend une affirmation explicite, ajoute une affirmation explicite ou "
                            "change les sources d'une affirmation explicite n'est en ligne qu'une fois approuvée par "
                            "un autre modérateur."),
        "n_waiting": "{n} en attente|{n} en attente",
        "pending_waiting": ("⏳ <b>Pas encore en ligne</b> : enregistrée comme modification en attente <b>P{id}</b>, "
                            "qui attend un second modérateur (une affirmation dite par ses sources en demande deux). "
                            "L'affirmation reste telle quelle, et les lecteurs n'en voient rien, jusqu'à ce qu'un "
                            "autre modérateur l'approuve : /pending {id}"),
        "pending_to_group": ("⏳ La modification en attente <b>P{id}</b> de {who} attend un second modérateur : "
                             "/pending {id}"),
        "pending_none": "Aucune modification n'attend un second modérateur.",
        "pending_head": ("<b>En attente d'un second modérateur</b> ({changes}, la plus ancienne d'abord). ✅ en "
                         "applique une telle qu'elle est montrée ; ✖ la refuse (pour dire pourquoi : /reject "
                         "&lt;n&gt; &lt;raison&gt;). Son auteur ne peut pas l'approuver."),
        "n_pending": "{n} modification|{n} modifications",
        "pending_more": "… et {n} de plus : /pending &lt;n&gt; montre chacune.",
        "pending_one_head": "<b>Modification en attente P{id}</b> ({status})",
        "status_open": "en attente d'un second modérateur",
        "status_approved": "approuvée",
        "status_rejected": "refusée",
        "pending_new_claim": "nouvelle affirmation :",
        "pending_claims_more": "… et {n} autres affirmations : /pending {id}",
        "pending_stated": "Les lecteurs liraient comme dites par leurs sources : {ids}",
        "pending_outdated": ("⚠️ Modifiée depuis la proposition : {ids}. Elle ne peut plus être appliquée telle "
                             "quelle : refusez-la et proposez-la de nouveau."),
        "pending_card": "<b>Les lecteurs verraient</b> :",
        "pending_reminder": STATED_REMINDER["fr"] + " Vérifiez la source et sa citation avant d'approuver.",
        "pending_approved_by": "Approuvée par {who} comme modification <b>n° {entry}</b> le {time}.",
        "pending_rejected_by": "Refusée par {who} le {time}{reason}.",
        "reason": " : « {reason} »",
        "button_approve": "✅ approuver P{id}",
        "button_reject": "✖ refuser P{id}",
        "approved_extra": "Proposée par {author} comme modification en attente P{id} ; approuvée par {who}.",
        "approve_own": ("Vous avez proposé cette modification : un autre modérateur l'approuve. Rien n'a été "
                        "modifié."),
        "approve_stale": ("Ce bouton n'est plus celui de cette modification en attente. Rien n'a été modifié ; "
                          "voyez /pending."),
        "approve_unknown": "Aucune modification en attente P{id}. Rien n'a été modifié ; voyez /pending.",
        "approve_decided": "La modification en attente P{id} est déjà {status}. Rien n'a été modifié.",
        "approve_outdated": ("❌ Pas appliquée : {ids} a changé depuis la proposition de la modification <b>P{id}</b>, "
                             "et l'appliquer écraserait ce changement. Rien n'a été écrit ; refusez-la (/reject {id} "
                             "&lt;raison&gt;) et proposez de nouveau la modification."),
        "rejected_done": ("✖ Modification en attente <b>P{id}</b> (proposée par {author}) refusée{reason}. La base "
                          "est inchangée."),
        "author_approved": ("✅ Votre modification en attente <b>P{id}</b> a été approuvée par {who} : en ligne comme "
                            "modification <b>n° {entry}</b>."),
        "author_rejected": "✖ Votre modification en attente <b>P{id}</b> a été refusée par {who}{reason}.",
        "usage_pending": ("Syntaxe : /pending (les modifications en attente) ou /pending &lt;n&gt; (une en "
                          "entier)"),
        "usage_reject": "Syntaxe : /reject &lt;n&gt; [raison] (n : le numéro que montre /pending, P3 ou 3)",
        "stats_pending": "⏳ {changes} en attente d'un second modérateur : /pending",
        "edit_second": ("✅ ne la met pas en ligne : elle va à un second modérateur, et les lecteurs la verront une "
                        "fois qu'un autre modérateur l'aura approuvée."),
        "plan_propose": ("Ce fichier rend des affirmations dites par leurs sources : ✅ l'envoie en entier à un second "
                         "modérateur ; il est appliqué (après une sauvegarde de la base) une fois qu'un autre "
                         "modérateur l'a approuvé. L'envoyer ?"),
        "approved_by": "approuvée par le modérateur {id}",
        "history_proposals": "<b>Proposées, pas appliquées</b> :",
    },
}


def tm(lang: str, key: str, /, **values: object) -> str:
    """The moderator string key in lang (English for another language), formatted with values."""
    text = STRINGS.get(lang, STRINGS[DEFAULT_LANG])[key]
    return text.format(**values) if values else text


def tn(lang: str, key: str, n: int, /) -> str:
    """A count with its noun: "1 claim", "2 claims"; in French "0 affirmation", "2 affirmations"."""
    one, _, many = tm(lang, key, n=n).partition("|")
    singular = n <= 1 if lang == "fr" else n == 1
    return one if singular else many


def action_name(lang: str, action: str) -> str:
    """An audit action (add, edit, alias, ...) in the moderator's language; an unknown one as recorded."""
    return tm(lang, f"action_{action}") if f"action_{action}" in STRINGS[DEFAULT_LANG] else action
