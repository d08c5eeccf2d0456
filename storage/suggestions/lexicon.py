"""The word lists behind the attribution finder, written out (no stemming, no regular expressions).

Speech verbs are listed with their inflections. A *strong* verb takes its content right after it ("X said the
talks failed", "X denied any role"); a *weak* one only after "that", in the inverted order ("…, X noted") or
before a quotation ("X added: “…”"), because without "that" it is as often not about speech ("X added five
points", "X reported a profit")."""
from __future__ import annotations

STRONG_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said"),
    "tell": ("tell", "tells", "told"),
    "claim": ("claim", "claims", "claimed"),
    "insist": ("insist", "insists", "insisted"),
    "argue": ("argue", "argues", "argued"),
    "warn": ("warn", "warns", "warned"),
    "deny": ("deny", "denies", "denied"),
    "accuse": ("accuse", "accuses", "accused"),
    "urge": ("urge", "urges", "urged"),
    "allege": ("allege", "alleges", "alleged"),
    "admit": ("admit", "admits", "admitted"),
    "predict": ("predict", "predicts", "predicted"),
    "vow": ("vow", "vows", "vowed", "vowing"),
    "pledge": ("pledge", "pledges", "pledged", "pledging"),
    "promise": ("promise", "promises", "promised", "promising"),
    "demand": ("demand", "demands", "demanded"),
}
WEAK_VERBS: dict[str, tuple[str, ...]] = {
    "state": ("state", "states", "stated"),
    "add": ("add", "adds", "added"),
    "note": ("note", "notes", "noted"),
    "announce": ("announce", "announces", "announced"),
    "explain": ("explain", "explains", "explained"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged"),
    "confirm": ("confirm", "confirms", "confirmed"),
    "report": ("report", "reports", "reported"),
    "suggest": ("suggest", "suggests", "suggested"),
    "expect": ("expect", "expects", "expected"),
    "stress": ("stress", "stresses", "stressed"),
    "assert": ("assert", "asserts", "asserted"),
    "contend": ("contend", "contends", "contended"),
    "reply": ("reply", "replies", "replied"),
    "write": ("write", "writes", "wrote"),
    "ask": ("ask", "asks", "asked"),
    "estimate": ("estimate", "estimates", "estimated"),
    "concede": ("concede", "concedes", "conceded"),
    "declare": ("declare", "declares", "declared"),
    "show": ("show", "shows", "showed"),
}
#: After a comma these -ing forms report what the sentence's subject says: "…, saying it leaves out …".
PARTICIPLES: dict[str, str] = {"saying": "say", "adding": "add", "warning": "warn", "arguing": "argue",
                               "insisting": "insist", "claiming": "claim", "noting": "note", "denying": "deny",
                               "accusing": "accuse", "urging": "urge", "stressing": "stress"}
#: "called the decision ‘deeply disappointing’": a quoted judgement, an evaluative claim.
LABELLING = frozenset({"called", "calling", "calls", "call", "described", "describing", "describes", "branded",
                       "branding", "labelled", "labeled", "dubbed"})
#: "call for" is a two-word cue; "called" alone ("he called it a farce") is not speech.
CALL_FORMS = ("call", "calls", "called")
#: Verbs whose content is an infinitive ("vowed to maintain …"): a commitment, so a policy claim.
COMMITMENT_LEMMAS = frozenset({"vow", "pledge", "promise"})

LEMMA_OF: dict[str, str] = {form: lemma for table in (STRONG_VERBS, WEAK_VERBS)
                            for lemma, forms in table.items() for form in forms}
STRONG_LEMMAS = frozenset(STRONG_VERBS)

#: Cue verb -> claim type, before the content's modal verbs are looked at.
CUE_CLAIM_TYPE = {
    "accuse": "accusation", "allege": "accusation",
    "deny": "denial",
    "warn": "predictive", "predict": "predictive", "expect": "predictive",
    "urge": "policy", "call for": "policy", "demand": "policy", "vow": "policy", "pledge": "policy",
    "promise": "policy", "label": "evaluative",
}
PREDICTIVE_MODALS = frozenset({"will", "'ll", "’ll", "wo", "shall"})
POLICY_MODALS = frozenset({"should", "must", "ought"})

#: Between the subject and its verb: "X has repeatedly said", "X also told".
VERB_PREFIX = frozenset({
    "has", "have", "had", "also", "again", "repeatedly", "publicly", "previously", "later", "earlier", "then",
    "recently", "reportedly", "would", "will", "could", "may", "might", "did", "does", "do", "not", "never",
    "n't", "n’t", "always", "often", "once", "flatly", "strongly", "firmly", "separately", "privately",
    "just", "already", "subsequently", "further",
})
#: A word before the verb that makes it no speech act of the subject: "the said treaty", "was told", "is said".
NOT_SPEECH_BEFORE = frozenset({"the", "a", "an", "this", "that", "is", "are", "was", "were", "be", "been", "being",
                               "it's", "it’s", "to"})
#: Words that end a subject when walking back from the verb ("… but the main opposition faction said").
SUBJECT_STOP = frozenset({
    "that", "which", "who", "whom", "whose", "and", "but", "or", "because", "while", "as", "when", "if",
    "since", "after", "before", "although", "though", "so", "where", "than", "whereas", "until", "unless",
    "once", "said", "says", "told", "according", "–", "—", "--", ";", ":", "(", ")", "[", "]", "•", "·",
    "then", "yet", "nor", "whether", "what",
})
RELATIVE = frozenset({"who", "which", "that"})
#: After a comma these begin a new clause, so the reported content ends before the comma.
CONTENT_CUT_AFTER_COMMA = frozenset({
    "with", "while", "whereas", "although", "though", "adding", "saying", "citing", "despite", "amid",
    "according", "warning", "noting", "arguing", "insisting", "claiming", "stressing",
})
#: A short tail after the verb that keeps the order inverted: "…, X said on Tuesday."
TIME_OR_PLACE = frozenset({
    "in", "on", "at", "during", "after", "before", "last", "this", "late", "earlier", "yesterday", "today",
    "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "from", "via",
    "through", "by", "when", "while", "as", "afterwards", "later", "again", "recently", "previously",
})
#: Who is told: "told reporters", "told the BBC", "told a news conference".
AUDIENCE = frozenset({
    "reporters", "journalists", "lawmakers", "parliament", "the", "a", "an", "his", "her", "their", "its", "our",
    "press", "news", "conference", "agency", "newspaper", "broadcaster", "radio", "television", "tv", "audience",
    "crowd", "supporters", "delegates", "students", "interviewer", "senators", "members", "mps", "me", "us",
    "him", "them", "state", "local", "german", "french", "british", "american", "russian", "reuters", "legislators",
})
PRONOUNS_PERSON = frozenset({"he", "she"})

#: Quotation marks: opening mark -> the marks that may close it.
QUOTE_PAIRS: dict[str, tuple[str, ...]] = {
    "“": ("”",), "«": ("»",), "„": ("“", "”"), "‘": ("’",), '"': ('"',), "‹": ("›",), "‚": ("‘", "’"),
}
#: Inside a quotation, what its last word may be followed by when the speaker comes after it: “…,” said X.
OPEN_ENDED = frozenset({",", "?", "!", "—", "–", "...", "…", "-"})
#: A possessor speaks through these: "Okafor's spokesman said" is a claim of Okafor.
REPRESENTATIVES = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople", "office", "lawyer",
                             "lawyers", "attorney", "attorneys", "representative", "representatives", "envoy",
                             "ministry", "government", "campaign", "aide", "aides", "press", "team", "embassy"})
#: "the company said": the one organisation (or state) the paragraph has named before.
ORGANISATION_NOUNS = frozenset({"company", "firm", "group", "think", "tank", "agency", "party", "organisation",
                                "organization", "ministry", "department", "bank", "union", "alliance", "bloc",
                                "council", "commission", "court", "newspaper", "broadcaster", "airline", "lender",
                                "insurer", "carrier", "operator", "regulator", "charity", "association"})
STATE_NOUNS = frozenset({"country", "state", "nation", "kingdom", "republic"})
