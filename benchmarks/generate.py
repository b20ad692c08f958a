"""A deterministic synthetic archive: N schema-valid canonical articles of realistic size.

Each article is about 4 KB of compact JSON on average (between roughly 1.5 and 7 KB), written in
one of eleven languages at rates a multilingual desk might see: English first, then French, German,
Spanish, Brazilian Portuguese and Turkish (diacritics, dotless i), Arabic and Persian (right to
left, native digits, zero-width non-joiners), Chinese, Japanese and Korean. Text carries curly
quotes and guillemets, en and em dashes, no-break spaces and the odd emoji (ZWJ sequences
included). Most optional fields of the model appear at the rates a real archive has them:
authors, subjects with IPTC Media Topic codes, places with coordinates, GeoNames and Wikidata ids,
images, rights, datelines, dates with their local offsets, and bodies with some headings, quotes
and lists; forty to sixty RDF triples' worth of facts per article.

Determinism: article ``i`` is built by its own ``random.Random`` seeded from ``(seed, i)``, so
nothing depends on the clock, on hash randomisation or on N (the first 20 articles of a run of
20,000 are the 20 articles of a run of 20). Names and identifiers look like real ones, and some
are, but nothing depends on their truth.

    python -m benchmarks.generate 20000 --out archive.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

DEFAULT_SEED = 20250730
JSON = dict[str, Any]


# --- languages -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Language:
    """What the generator needs to write plausible copy in one language."""

    tags: tuple[str, ...]
    """BCP 47 tags, the first the most common."""
    weight: float
    weekdays: tuple[str, ...]
    sentences: tuple[str, ...]
    """Templates: {person} {place} {org} {n} {n2} {pct} {year} {weekday}."""
    headlines: tuple[str, ...]
    headings: tuple[str, ...]
    quotes: tuple[str, ...]
    list_items: tuple[str, ...]
    sections: tuple[str, ...]
    keywords: tuple[str, ...]
    digits: str = "0123456789"
    """Native digits, used for about half the numbers in the text."""
    dash: str = "–"
    comma: str = ", "
    decimal: str = "."
    upper_dateline: bool = True


_EN = Language(
    tags=("en", "en-GB", "en-US"),
    weight=0.50,
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    sentences=(
        "Officials in {place} said on {weekday} that talks with {org} would resume next month, "
        "after a pause of almost {n} weeks.",
        "“We are not going to accept a deal that leaves our farmers behind,” {person} told "
        "reporters outside the ministry.",
        "The agreement, which still needs parliamentary approval, covers {n} projects worth an "
        "estimated ${n2} billion.",
        "Analysts in {place} were cautious — several pointed out that similar pledges in {year} "
        "produced little.",
        "According to figures published by {org}, prices rose {pct}% in the year to March, the "
        "fastest pace since {year}.",
        "Residents described queues stretching for blocks as shops ran short of bread, fuel and "
        "medicine.",
        "{person}, who has led the negotiations since {year}, said the next round would focus on "
        "energy and transport.",
        "The ministry’s statement did not say how many people had been detained, nor whether "
        "lawyers had been allowed to see them.",
        "Emergency services said {n} people were taken to hospital; most were released by the "
        "evening.",
        "Critics say the plan relies on optimistic growth forecasts and ignores the cost of "
        "servicing existing debt.",
        "In a post that drew thousands of replies 👏, {person} thanked volunteers for their "
        "“tireless work” in {place}.",
        "The vote is expected on {weekday}, although opposition parties have threatened a boycott.",
        "Markets reacted calmly: the benchmark index closed {pct}% higher and the currency held "
        "steady against the euro.",
        "“It’s a first step, not the last one,” said {person}, a researcher at {org}.",
        "The 2–3 November summit in {place} is expected to draw delegations from {n} countries.",
        "Doctors at the city’s main hospital — the only one still fully working — said supplies "
        "would last another {n} days.",
    ),
    headlines=(
        "{place} and {org} agree to resume talks after {n}-week pause",
        "Prices rise {pct}% as {place} braces for a hard winter",
        "{person}: “This is a first step, not the last one”",
        "Thousands queue for bread in {place} as shortages bite",
        "Parliament in {place} to vote on budget despite boycott threat",
        "Floods force {n} families from their homes near {place}",
        "{org} warns of slower growth; {place} shrugs it off",
    ),
    headings=(
        "What happens next",
        "Background",
        "Reaction abroad",
        "The numbers",
        "Why it matters",
    ),
    quotes=(
        "We will not be rushed into an agreement that our children will have to pay for.",
        "Nobody here remembers a winter like this one. Nobody.",
        "The numbers are clear, and they are not on our side — not yet.",
    ),
    list_items=(
        "Talks resume next month",
        "Budget vote on Thursday",
        "Fuel prices frozen until June",
        "{n} projects awaiting approval",
        "Borders remain open",
    ),
    sections=("World", "Business", "Politics", "Science", "Climate", "Sport", "Culture"),
    keywords=("diplomacy", "inflation", "elections", "energy", "floods", "trade", "health"),
)


def _french(lang: Language) -> Language:
    """French typography: a no-break space inside guillemets and before ``%`` and ``:``, a narrow
    one before ``;``, ``?`` and ``!``."""
    pairs: tuple[tuple[str, str], ...] = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" %", "\u00a0%"))
    pairs += ((" :", "\u00a0:"), (" ;", "\u202f;"), (" ?", "\u202f?"), (" !", "\u202f!"))

    def typeset(texts: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for text in texts:
            for plain, fine in pairs:
                text = text.replace(plain, fine)  # noqa: PLW2901
            out.append(text)
        return tuple(out)

    return dataclasses.replace(
        lang,
        sentences=typeset(lang.sentences),
        headlines=typeset(lang.headlines),
        headings=typeset(lang.headings),
        quotes=typeset(lang.quotes),
        list_items=typeset(lang.list_items),
    )


_FR = Language(
    tags=("fr", "fr-FR", "fr-CH"),
    weight=0.08,
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    sentences=(
        "Les autorités de {place} ont annoncé {weekday} la reprise des négociations avec {org}, "
        "après une pause de près de {n} semaines.",
        "« Nous n’accepterons pas un accord qui laisse nos agriculteurs de côté », a déclaré "
        "{person} devant le ministère.",
        "L’accord, qui doit encore être approuvé par le Parlement, porte sur {n} projets d’une "
        "valeur estimée à {n2} milliards d’euros.",
        "Selon les chiffres publiés par {org}, les prix ont augmenté de {pct} % sur un an, "
        "du jamais-vu depuis {year}.",
        "Les habitants décrivent des files d’attente interminables devant les boulangeries et "
        "les stations-service.",
        "{person}, qui mène les discussions depuis {year}, a précisé que la prochaine séance "
        "porterait sur l’énergie et les transports.",
        "Les services d’urgence ont indiqué que {n} personnes avaient été hospitalisées ; "
        "la plupart sont rentrées chez elles le soir même.",
        "Les critiques estiment que le plan repose sur des prévisions de croissance trop "
        "optimistes.",
        "Le vote est prévu {weekday}, même si l’opposition menace de le boycotter.",
        "« C’est un premier pas, pas le dernier », a résumé {person}, chercheuse à {org}.",
    ),
    headlines=(
        "{place} et {org} reprennent les négociations après {n} semaines de pause",
        "Les prix grimpent de {pct} % : {place} se prépare à un hiver difficile",
        "À {place}, l’opposition menace de boycotter le vote du budget",
    ),
    headings=("Et maintenant ?", "Contexte", "Réactions à l’étranger", "Les chiffres"),
    quotes=(
        "Nous ne nous laisserons pas imposer un accord que nos enfants devront payer.",
        "Personne ici ne se souvient d’un hiver pareil. Personne.",
    ),
    list_items=("Reprise des négociations", "Vote du budget jeudi", "Prix du gazole gelés"),
    sections=("Monde", "Économie", "Politique", "Sciences", "Société"),
    keywords=("diplomatie", "inflation", "élections", "énergie", "intempéries"),
    decimal=",",
)
_FR = _french(_FR)


_DE = Language(
    tags=("de", "de-DE", "de-AT"),
    weight=0.07,
    weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    sentences=(
        "Die Behörden in {place} kündigten am {weekday} an, die Gespräche mit {org} nach fast "
        "{n} Wochen Pause wieder aufzunehmen.",
        "„Wir werden keinem Abkommen zustimmen, das unsere Landwirte im Stich lässt“, sagte "
        "{person} vor dem Ministerium.",
        "Die Vereinbarung, der das Parlament noch zustimmen muss, umfasst {n} Projekte im Wert "
        "von schätzungsweise {n2} Milliarden Euro.",
        "Nach Angaben von {org} stiegen die Preise binnen Jahresfrist um {pct} Prozent – so "
        "stark wie seit {year} nicht mehr.",
        "Anwohner berichteten von langen Schlangen vor Bäckereien, Tankstellen und Apotheken.",
        "Die Rettungskräfte brachten {n} Menschen ins Krankenhaus; die meisten konnten es am "
        "Abend wieder verlassen.",
        "Kritiker bemängeln, der Plan beruhe auf zu optimistischen Wachstumsprognosen.",
        "Die Abstimmung ist für {weekday} geplant, obwohl die Opposition mit einem Boykott droht.",
        "„Das ist ein erster Schritt, nicht der letzte“, sagte {person}, Forscherin bei {org}.",
        "Größere Straßensperren und Grenzübergänge blieben über das Wochenende geöffnet.",
    ),
    headlines=(
        "{place} und {org} verhandeln nach {n} Wochen wieder",
        "Preise steigen um {pct} Prozent – {place} rüstet sich für harten Winter",
        "Haushaltsabstimmung in {place} trotz Boykottdrohung",
    ),
    headings=("Wie es weitergeht", "Hintergrund", "Reaktionen im Ausland", "Die Zahlen"),
    quotes=(
        "Wir lassen uns nicht zu einem Abkommen drängen, das unsere Kinder bezahlen müssen.",
        "So einen Winter hat hier noch niemand erlebt.",
    ),
    list_items=("Gespräche im nächsten Monat", "Abstimmung am Donnerstag", "Grenzen bleiben offen"),
    sections=("Ausland", "Wirtschaft", "Politik", "Wissen", "Gesellschaft"),
    keywords=("Diplomatie", "Inflation", "Wahlen", "Energie", "Überschwemmungen"),
    dash="–",
    decimal=",",
)

_ES = Language(
    tags=("es", "es-ES", "es-MX", "es-AR"),
    weight=0.07,
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    sentences=(
        "Las autoridades de {place} anunciaron el {weekday} que las negociaciones con {org} se "
        "reanudarán tras casi {n} semanas de pausa.",
        "«No vamos a aceptar un acuerdo que deje atrás a nuestros agricultores», declaró "
        "{person} a la salida del ministerio.",
        "El acuerdo, que aún necesita la aprobación del Congreso, abarca {n} proyectos valorados "
        "en unos {n2} mil millones de dólares.",
        "Según cifras publicadas por {org}, los precios subieron un {pct} % interanual, el ritmo "
        "más rápido desde {year}.",
        "Los vecinos describieron colas de varias cuadras frente a panaderías, gasolineras y "
        "farmacias.",
        "Los servicios de emergencia informaron de que {n} personas fueron trasladadas al "
        "hospital; la mayoría recibió el alta por la noche.",
        "¿Quién pagará la factura? Los críticos señalan que el plan se basa en previsiones de "
        "crecimiento demasiado optimistas.",
        "La votación está prevista para el {weekday}, aunque la oposición ha amenazado con "
        "boicotearla.",
        "«Es un primer paso, no el último», resumió {person}, investigadora de {org}.",
        "El año pasado, la compañía ganó más de {n2} millones de euros, un {pct} % más que en "
        "{year}.",
    ),
    headlines=(
        "{place} y {org} retoman el diálogo tras {n} semanas de pausa",
        "Los precios suben un {pct} % y {place} se prepara para un invierno duro",
        "¿Habrá presupuesto? {place} vota pese a la amenaza de boicot",
    ),
    headings=("Qué pasará ahora", "Contexto", "Reacciones en el exterior", "Las cifras"),
    quotes=(
        "No vamos a firmar con prisas un acuerdo que pagarán nuestros hijos.",
        "Nadie aquí recuerda un invierno así. Nadie.",
    ),
    list_items=("Diálogo en marzo", "Votación el jueves", "Precios del gasóleo congelados"),
    sections=("Internacional", "Economía", "Política", "Ciencia", "Sociedad"),
    keywords=("diplomacia", "inflación", "elecciones", "energía", "inundaciones"),
    decimal=",",
)

_PT = Language(
    tags=("pt-BR", "pt", "pt-PT"),
    weight=0.04,
    weekdays=(
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ),
    sentences=(
        "As autoridades de {place} anunciaram na {weekday} a retomada das negociações com "
        "{org}, após quase {n} semanas de pausa.",
        "“Não vamos aceitar um acordo que deixe nossos agricultores para trás”, disse {person} "
        "a jornalistas em frente ao ministério.",
        "Segundo dados divulgados por {org}, os preços subiram {pct}% em doze meses, o ritmo "
        "mais rápido desde {year}.",
        "Moradores relataram filas de vários quarteirões em padarias, postos de combustível e "
        "farmácias.",
        "Os serviços de emergência informaram que {n} pessoas foram levadas ao hospital; a "
        "maioria recebeu alta à noite.",
        "A votação está prevista para {weekday}, embora a oposição ameace boicotá-la.",
        "“É um primeiro passo, não o último”, afirmou {person}, pesquisadora da {org}.",
        "Críticos dizem que o plano depende de previsões de crescimento otimistas e ignora o "
        "custo da dívida atual.",
    ),
    headlines=(
        "{place} e {org} retomam negociações após {n} semanas",
        "Preços sobem {pct}% e {place} se prepara para inverno difícil",
    ),
    headings=("O que acontece agora", "Contexto", "As cifras"),
    quotes=("Não vamos assinar às pressas um acordo que nossos filhos vão pagar.",),
    list_items=("Negociações em março", "Votação na quinta-feira", "Fronteiras abertas"),
    sections=("Mundo", "Economia", "Política", "Ciência"),
    keywords=("diplomacia", "inflação", "eleições", "energia", "enchentes"),
    decimal=",",
)

_TR = Language(
    tags=("tr", "tr-TR"),
    weight=0.03,
    weekdays=("pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"),
    sentences=(
        "{place} yetkilileri, {org} ile müzakerelerin yaklaşık {n} haftalık aradan sonra yeniden "
        "başlayacağını açıkladı.",
        "“Çiftçilerimizi geride bırakan bir anlaşmayı kabul etmeyeceğiz,” dedi {person} bakanlık "
        "önünde gazetecilere.",
        "{org} tarafından yayımlanan verilere göre fiyatlar yıllık bazda yüzde {pct} arttı; bu, "
        "{year} yılından bu yana en hızlı artış.",
        "Acil durum ekipleri {n} kişinin hastaneye kaldırıldığını, çoğunun akşam saatlerinde "
        "taburcu edildiğini bildirdi.",
        "İstanbul’daki analistler temkinli: birçoğu {year} yılındaki benzer vaatlerin sonuçsuz "
        "kaldığını hatırlattı.",
        "Oylamanın {weekday} günü yapılması bekleniyor, ancak muhalefet partileri boykot "
        "tehdidinde bulundu.",
        "Işıklı tabelalar, ılık bir akşamda İzmir’in sokaklarını aydınlatıyordu.",
    ),
    headlines=(
        "{place} ile {org} arasında müzakereler {n} hafta sonra yeniden başlıyor",
        "Fiyatlar yüzde {pct} arttı: {place} zorlu bir kışa hazırlanıyor",
    ),
    headings=("Bundan sonra ne olacak", "Arka plan", "Rakamlar"),
    quotes=("Çocuklarımızın ödeyeceği bir anlaşmaya aceleyle imza atmayacağız.",),
    list_items=("Müzakereler gelecek ay", "Oylama perşembe günü", "Sınırlar açık"),
    sections=("Dünya", "Ekonomi", "Politika", "Bilim"),
    keywords=("diplomasi", "enflasyon", "seçim", "enerji", "sel"),
    decimal=",",
)

_AR = Language(
    tags=("ar", "ar-EG", "ar-SA"),
    weight=0.07,
    weekdays=("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    sentences=(
        "أعلنت السلطات في {place} يوم {weekday} استئناف المفاوضات مع {org} بعد توقف دام نحو {n} "
        "أسابيع.",
        "«لن نقبل باتفاق يترك مزارعينا خلف الركب»، قال {person} للصحفيين أمام مقر الوزارة.",
        "ويشمل الاتفاق، الذي لا يزال بحاجة إلى موافقة البرلمان، {n} مشروعاً تقدر قيمتها بنحو "
        "{n2} مليار دولار.",
        "وبحسب أرقام نشرتها {org}، ارتفعت الأسعار بنسبة {pct}% خلال عام، وهي أسرع وتيرة منذ "
        "عام {year}.",
        "ووصف السكان طوابير طويلة أمام المخابز ومحطات الوقود والصيدليات.",
        "وقالت فرق الإسعاف إن {n} أشخاص نُقلوا إلى المستشفى، وغادر معظمهم في المساء.",
        "ويرى منتقدون أن الخطة تعتمد على توقعات نمو متفائلة وتتجاهل كلفة خدمة الدين القائم.",
        "ومن المقرر أن يجري التصويت يوم {weekday}، رغم تهديد أحزاب المعارضة بالمقاطعة.",
        "«إنها خطوة أولى وليست الأخيرة»، قال {person}، الباحث في {org}.",
    ),
    headlines=(
        "{place} و{org} تستأنفان المفاوضات بعد توقف {n} أسابيع",
        "ارتفاع الأسعار {pct}% و{place} تستعد لشتاء قاسٍ",
        "برلمان {place} يصوت على الموازنة رغم تهديد المعارضة بالمقاطعة",
    ),
    headings=("ماذا بعد؟", "خلفية", "ردود الفعل", "بالأرقام"),
    quotes=("لن نوقّع على عجل اتفاقاً سيدفع أبناؤنا ثمنه.", "لا أحد هنا يتذكر شتاءً كهذا."),
    list_items=("استئناف المفاوضات الشهر المقبل", "التصويت يوم الخميس", "الحدود مفتوحة"),
    sections=("العالم", "اقتصاد", "سياسة", "علوم"),
    keywords=("دبلوماسية", "تضخم", "انتخابات", "طاقة", "فيضانات"),
    digits="٠١٢٣٤٥٦٧٨٩",
    dash="-",
    comma="، ",
    upper_dateline=False,
)

_FA = Language(
    tags=("fa", "fa-IR"),
    weight=0.05,
    weekdays=("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    sentences=(
        "مقامات {place} روز {weekday} اعلام کردند که مذاکرات با {org} پس از نزدیک به {n} هفته "
        "وقفه از سر گرفته می‌شود.",
        "{person} به خبرنگاران گفت: «ما توافقی را که کشاورزان ما را نادیده بگیرد نمی‌پذیریم.»",
        "به گفته {org}، قیمت‌ها در یک سال گذشته {pct} درصد افزایش یافته است که بیشترین افزایش از "
        "سال {year} به این سو است.",
        "ساکنان از صف‌های طولانی در برابر نانوایی‌ها، جایگاه‌های سوخت و داروخانه‌ها خبر دادند.",
        "امدادگران گفتند {n} نفر به بیمارستان منتقل شدند و بیشتر آنان شامگاه مرخص شدند.",
        "رأی‌گیری قرار است روز {weekday} برگزار شود، هرچند احزاب مخالف تهدید به تحریم کرده‌اند.",
        "«این گام نخست است، نه آخرین گام»، {person}، پژوهشگر {org}، گفت.",
    ),
    headlines=(
        "از سرگیری مذاکرات {place} و {org} پس از {n} هفته",
        "افزایش {pct} درصدی قیمت‌ها؛ {place} برای زمستانی سخت آماده می‌شود",
    ),
    headings=("گام بعدی", "پیشینه", "واکنش‌ها", "به زبان آمار"),
    quotes=("ما با شتاب توافقی را امضا نمی‌کنیم که فرزندانمان بهایش را بپردازند.",),
    list_items=("از سرگیری مذاکرات در ماه آینده", "رأی‌گیری روز پنجشنبه", "مرزها باز است"),
    sections=("بین‌الملل", "اقتصاد", "سیاست", "علم"),
    keywords=("دیپلماسی", "تورم", "انتخابات", "انرژی", "سیل"),
    digits="۰۱۲۳۴۵۶۷۸۹",
    dash="-",
    comma="، ",
    upper_dateline=False,
)

_ZH = Language(
    tags=("zh-Hans", "zh-CN", "zh-Hant-TW"),
    weight=0.04,
    weekdays=("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    sentences=(
        "{place}当局{weekday}宣布，在暂停近{n}周后，将恢复与{org}的谈判。",
        "“我们不会接受一项让农民落在后面的协议，”{person}在部门门外对记者说。",
        "该协议仍需议会批准，涵盖{n}个项目，估计价值约{n2}亿美元。",
        "根据{org}公布的数据，物价同比上涨{pct}%，为{year}年以来最快增速。",
        "居民说，面包店、加油站和药店门前排起了长队。",
        "急救部门表示，{n}人被送往医院，大多数人当晚已出院。",
        "批评人士认为，该计划依赖过于乐观的增长预测，忽视了现有债务的成本。",
        "投票预计于{weekday}举行，但反对党已威胁要抵制。",
        "“这是第一步，而不是最后一步，”{org}研究员{person}说。",
    ),
    headlines=(
        "{place}与{org}暂停{n}周后恢复谈判",
        "物价上涨{pct}%，{place}准备迎接严冬",
        "{place}议会将就预算投票，反对党威胁抵制",
    ),
    headings=("下一步", "背景", "各方反应", "数字"),
    quotes=("我们不会仓促签署一项要由子孙后代买单的协议。",),
    list_items=("下月恢复谈判", "周四投票", "边境保持开放"),
    sections=("国际", "财经", "政治", "科技"),
    keywords=("外交", "通货膨胀", "选举", "能源", "洪水"),
    upper_dateline=False,
)

_JA = Language(
    tags=("ja", "ja-JP"),
    weight=0.03,
    weekdays=("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"),
    sentences=(
        "{place}の当局は{weekday}、{org}との交渉を約{n}週間ぶりに再開すると発表した。",
        "「農家を置き去りにする合意は受け入れられない」と{person}氏は記者団に語った。",
        "{org}が公表した統計によると、物価は前年比{pct}％上昇し、{year}年以来の伸びとなった。",
        "住民によると、パン屋やガソリンスタンド、薬局の前に長い行列ができた。",
        "救急当局によると、{n}人が病院に搬送され、大半はその日の夜に退院した。",
        "採決は{weekday}に予定されているが、野党はボイコットを示唆している。",
        "「これは最初の一歩であって、最後ではない」と{org}の研究員、{person}氏は述べた。",
    ),
    headlines=(
        "{place}と{org}、{n}週間ぶりに交渉再開",
        "物価{pct}％上昇　{place}、厳しい冬に備え",
    ),
    headings=("今後の焦点", "背景", "数字で見る"),
    quotes=("子どもたちにつけを回す合意を急いで結ぶつもりはない。",),
    list_items=("来月に交渉再開", "木曜日に採決", "国境は開いたまま"),
    sections=("国際", "経済", "政治", "科学"),
    keywords=("外交", "インフレ", "選挙", "エネルギー", "洪水"),
    upper_dateline=False,
)

_KO = Language(
    tags=("ko", "ko-KR"),
    weight=0.02,
    weekdays=("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
    sentences=(
        "{place} 당국은 {weekday} {org}와의 협상을 약 {n}주 만에 재개한다고 발표했다.",
        "“농민을 외면하는 합의는 받아들일 수 없다”고 {person}은 기자들에게 말했다.",
        "{org}가 발표한 자료에 따르면 물가는 전년 대비 {pct}% 올라 {year}년 이후 가장 큰 폭으로 "
        "상승했다.",
        "응급 당국은 {n}명이 병원으로 이송됐으며 대부분 저녁에 퇴원했다고 밝혔다.",
        "표결은 {weekday}에 예정돼 있으나 야당은 보이콧을 예고했다.",
    ),
    headlines=("{place}·{org}, {n}주 만에 협상 재개", "물가 {pct}% 상승… {place} 혹독한 겨울 대비"),
    headings=("향후 전망", "배경", "숫자로 본"),
    quotes=("아이들이 대가를 치를 합의를 서둘러 맺지 않겠다.",),
    list_items=("다음 달 협상 재개", "목요일 표결", "국경 개방 유지"),
    sections=("국제", "경제", "정치", "과학"),
    keywords=("외교", "물가", "선거", "에너지", "홍수"),
    upper_dateline=False,
)

LANGUAGES: tuple[Language, ...] = (_EN, _FR, _DE, _ES, _PT, _TR, _AR, _FA, _ZH, _JA, _KO)
_PRIMARY = {lang.tags[0].split("-")[0]: lang for lang in LANGUAGES}


# --- the world: places, people, organisations, vocabularies ----------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    local: dict[str, str]
    country: str
    country_code: str
    lat: float
    lon: float
    geonames: str
    wikidata: str
    offset: int
    """Minutes east of UTC (standard time)."""


_PLACES = (
    _Place("Tehran", {"fa": "تهران", "ar": "طهران", "zh": "德黑兰", "ja": "テヘラン"},
           "Iran", "IR", 35.6944, 51.4215, "112931", "Q3616", 210),
    _Place("Caracas", {"es": "Caracas", "ar": "كاراكاس", "zh": "加拉加斯"},
           "Venezuela", "VE", 10.488, -66.8792, "3646738", "Q1533", -240),
    _Place("Paris", {"ar": "باريس", "fa": "پاریس", "zh": "巴黎", "ja": "パリ", "ko": "파리"},
           "France", "FR", 48.8534, 2.3488, "2988507", "Q90", 60),
    _Place("Berlin", {"ar": "برلين", "zh": "柏林", "ja": "ベルリン", "ko": "베를린"},
           "Germany", "DE", 52.5244, 13.4105, "2950159", "Q64", 60),
    _Place("Madrid", {"ar": "مدريد", "zh": "马德里"},
           "Spain", "ES", 40.4165, -3.7026, "3117735", "Q2807", 60),
    _Place("São Paulo", {"ar": "ساو باولو", "zh": "圣保罗", "ja": "サンパウロ"},
           "Brazil", "BR", -23.5475, -46.6361, "3448439", "Q174", -180),
    _Place("Istanbul", {"tr": "İstanbul", "ar": "إسطنبول", "fa": "استانبول", "zh": "伊斯坦布尔"},
           "Türkiye", "TR", 41.0138, 28.9497, "745044", "Q406", 180),
    _Place("Cairo", {"ar": "القاهرة", "fa": "قاهره", "fr": "Le Caire", "de": "Kairo"},
           "Egypt", "EG", 30.0626, 31.2497, "360630", "Q85", 120),
    _Place("Riyadh", {"ar": "الرياض", "fa": "ریاض", "fr": "Riyad"},
           "Saudi Arabia", "SA", 24.6877, 46.7219, "108410", "Q3692", 180),
    _Place("Beijing", {"zh": "北京", "ja": "北京", "ko": "베이징", "fr": "Pékin", "es": "Pekín"},
           "China", "CN", 39.9075, 116.3972, "1816670", "Q956", 480),
    _Place("Tokyo", {"ja": "東京", "zh": "东京", "ko": "도쿄", "ar": "طوكيو"},
           "Japan", "JP", 35.6895, 139.6917, "1850147", "Q1490", 540),
    _Place("Seoul", {"ko": "서울", "zh": "首尔", "ja": "ソウル", "fr": "Séoul"},
           "South Korea", "KR", 37.566, 126.9784, "1835848", "Q8684", 540),
    _Place("Geneva", {"fr": "Genève", "de": "Genf", "es": "Ginebra", "ar": "جنيف"},
           "Switzerland", "CH", 46.2022, 6.1457, "2660646", "Q71", 60),
    _Place("Zürich", {"fr": "Zurich", "ar": "زيورخ"},
           "Switzerland", "CH", 47.3667, 8.55, "2657896", "Q72", 60),
    _Place("New York", {"ar": "نيويورك", "zh": "纽约", "ja": "ニューヨーク", "es": "Nueva York"},
           "United States", "US", 40.7143, -74.006, "5128581", "Q60", -300),
    _Place("Kyiv", {"fr": "Kyiv", "de": "Kyjiw", "ar": "كييف", "zh": "基辅"},
           "Ukraine", "UA", 50.4547, 30.5238, "703448", "Q1899", 120),
    _Place("Nairobi", {"ar": "نيروبي", "zh": "内罗毕"},
           "Kenya", "KE", -1.2833, 36.8167, "184745", "Q3870", 180),
    _Place("Mumbai", {"ar": "مومباي", "fa": "بمبئی", "zh": "孟买"},
           "India", "IN", 19.0728, 72.8826, "1275339", "Q1156", 330),
    _Place("Kathmandu", {"zh": "加德满都", "fr": "Katmandou"},
           "Nepal", "NP", 27.7017, 85.3206, "1283240", "Q3037", 345),
    _Place("Kabul", {"fa": "کابل", "ar": "كابل"},
           "Afghanistan", "AF", 34.5281, 69.1723, "1138958", "Q5838", 270),
    _Place("Mexico City", {"es": "Ciudad de México", "fr": "Mexico", "de": "Mexiko-Stadt"},
           "Mexico", "MX", 19.4285, -99.1277, "3530597", "Q1489", -360),
    _Place("Buenos Aires", {"ar": "بوينس آيرس", "zh": "布宜诺斯艾利斯"},
           "Argentina", "AR", -34.6132, -58.3772, "3435910", "Q1486", -180),
    _Place("Lagos", {"ar": "لاغوس"},
           "Nigeria", "NG", 6.4541, 3.3947, "2332459", "Q8673", 60),
    _Place("Jakarta", {"ar": "جاكرتا", "zh": "雅加达"},
           "Indonesia", "ID", -6.2146, 106.8451, "1642911", "Q3630", 420),
    _Place("Reykjavík", {"de": "Reykjavík", "zh": "雷克雅未克"},
           "Iceland", "IS", 64.1355, -21.8954, "3413829", "Q1764", 0),
    _Place("Kraków", {"de": "Krakau", "fr": "Cracovie", "es": "Cracovia"},
           "Poland", "PL", 50.0614, 19.9366, "3094802", "Q31487", 60),
    _Place("Hanoi", {"zh": "河内", "ja": "ハノイ", "fr": "Hanoï"},
           "Vietnam", "VN", 21.0245, 105.8412, "1581130", "Q1858", 420),
    _Place("Sydney", {"zh": "悉尼", "ja": "シドニー"},
           "Australia", "AU", -33.8679, 151.2073, "2147714", "Q3130", 600),
)  # fmt: skip

_PEOPLE = (
    ("António Guterres", "Q311440", {"ar": "أنطونيو غوتيريش", "fa": "آنتونیو گوترش",
                                      "zh": "安东尼奥·古特雷斯", "ja": "アントニオ・グテーレス"}),
    ("Emmanuel Macron", "Q3052772", {"ar": "إيمانويل ماكرون", "zh": "埃马纽埃尔·马克龙"}),
    ("Luiz Inácio Lula da Silva", "Q37181", {"zh": "卢拉", "ar": "لولا دا سيلفا"}),
    ("Recep Tayyip Erdoğan", "Q39723", {"ar": "رجب طيب أردوغان", "fa": "رجب طیب اردوغان"}),
    ("Masoud Pezeshkian", "Q5936432", {"fa": "مسعود پزشکیان", "ar": "مسعود بزشكيان"}),
    ("Nicolás Maduro", "Q57413", {"ar": "نيكولاس مادورو", "zh": "马杜罗"}),
    ("Ursula von der Leyen", "Q60772", {"zh": "冯德莱恩", "ar": "أورسولا فون دير لاين"}),
    ("Narendra Modi", "Q1058", {"ar": "ناريندرا مودي", "zh": "莫迪", "ja": "ナレンドラ・モディ"}),
    ("Olaf Scholz", "Q61053", {"ar": "أولاف شولتس", "zh": "朔尔茨"}),
    ("Claudia Sheinbaum", "Q5126421", {"zh": "辛鲍姆"}),
    ("Ngozi Okonjo-Iweala", "Q2157734", {"ar": "نغوزي أوكونجو إيويالا"}),
    ("Jacinda Ardern", "Q4680974", {"ja": "ジャシンダ・アーダーン"}),
)  # fmt: skip

_VOICES = {
    "en": ("Siobhán O’Connell", "Daniel Okafor", "Priya Raghavan", "Tomás Ó Briain", "Mei Lin"),
    "fr": ("Hélène Faure", "Loïc Bénard", "Aïcha Benali", "François Lefèvre"),
    "de": ("Jürgen Weiß", "Anna-Lena Böhm", "Özlem Kaya", "Björn Groß"),
    "es": ("José Núñez", "María Peña", "Begoña Ibáñez", "Iñaki Zubiría"),
    "pt": ("João Gonçalves", "Conceição Araújo", "Luís Brandão"),
    "tr": ("Ayşe Yılmaz", "Çağrı Öztürk", "İlker Şahin", "Gülşen Doğan"),
    "ar": ("فاطمة الزهراء", "محمد العلي", "ليلى حداد", "عمر الشريف"),
    "fa": ("محمد رضایی", "زهرا احمدی", "علی‌رضا کریمی", "نرگس محمدی"),
    "zh": ("王小明", "李静", "张伟", "刘洋"),
    "ja": ("山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲"),
    "ko": ("김민준", "이서연", "박지훈", "최유나"),
}

_JOURNALISTS = (
    "Zoë Ångström",
    "Łukasz Żmijewski",
    "Nguyễn Thị Hương",
    "Søren Kjærgaard",
    "Dvořák Jiří",
    "Ana Lúcia Gonçalves",
    "Björn Þórsson",
    "Chiara D’Amico",
    "Oluwaseun Adébáyọ̀",
    "Marta Šimić",
    "Rahul Deshpande",
    "Hannah Goldberg",
    "Sami Al-Khatib",
    "Kenji Watanabe",
    "Zeynep Kılıç",
    "Élodie Moreau",
    "Lars-Erik Nyström",
    "Maryam Hosseini",
    "Sofía Castañeda",
    "Aleksandr Volkov",
)

_ROLES = ("reporter", "correspondent", "writer", "staff writer", "editor")
_CONTRIBUTOR_ROLES = ("photographer", "editor", "translator", "additional reporting", "graphics")

_PUBLISHERS = (
    ("The Daily Meridian", "https://meridian.example.com/", "Q133333001"),
    ("Le Courrier du Léman", "https://courrier-leman.example.ch/", None),
    ("Der Nordkurier am Sonntag", "https://nordkurier.example.de/", None),
    ("El Heraldo Austral", "https://heraldo-austral.example.ar/", None),
    ("صحيفة الفجر", "https://alfajr.example.net/", None),
    ("روزنامه آفتاب", "https://aftab.example.ir/", None),
    ("东方晨报", "https://morning.example.cn/", None),
    ("北海新聞", "https://hokkai.example.jp/", None),
    ("Gazeta Północna", "https://polnocna.example.pl/", None),
)
_PUBLISHER_FOR = {"en": 0, "fr": 1, "de": 2, "es": 3, "pt": 3, "tr": 0, "ar": 4, "fa": 5, "zh": 6}
_PUBLISHER_FOR |= {"ja": 7, "ko": 0}

_AGENCIES = (
    ("Agence France-Presse", "AFP", "https://www.afp.com/", "Q40464"),
    ("Reuters", "Reuters", "https://www.reuters.com/", "Q130879"),
    ("The Associated Press", "AP", "https://apnews.com/", "Q40469"),
    ("Deutsche Presse-Agentur", "dpa", "https://www.dpa.com/", "Q153245"),
    ("Agencia EFE", "EFE", "https://efe.com/", "Q1141455"),
    ("Anadolu Ajansı", "AA", "https://www.aa.com.tr/", "Q1191636"),
    ("Xinhua", "Xinhua", "https://english.news.cn/", "Q204839"),
    ("Kyodo News", "Kyodo", "https://english.kyodonews.net/", "Q1191560"),
)

_ORGS = (
    ("the International Monetary Fund", "Q7804"),
    ("the World Health Organization", "Q7817"),
    ("the European Commission", "Q8880"),
    ("OPEC", "Q7795"),
    ("the World Bank", "Q7164"),
    ("UNICEF", "Q740308"),
    ("Médecins Sans Frontières", "Q184861"),
    ("the African Union", "Q7159"),
    ("Banco Central do Brasil", "Q811918"),
    ("Statistisches Bundesamt", "Q764739"),
)

_MEDTOP = (
    ("01000000", "arts, culture, entertainment and media"),
    ("20000038", "culture"),
    ("02000000", "crime, law and justice"),
    ("20000106", "judiciary"),
    ("03000000", "disaster, accident and emergency incident"),
    ("20000148", "disaster"),
    ("04000000", "economy, business and finance"),
    ("20000344", "economy"),
    ("20000385", "market and exchange"),
    ("06000000", "environment"),
    ("20000418", "climate change"),
    ("07000000", "health"),
    ("20001358", "public health"),
    ("09000000", "labour"),
    ("20000533", "unemployment"),
    ("11000000", "politics and government"),
    ("20000574", "election"),
    ("20000593", "government"),
    ("20000621", "government policy"),
    ("20000638", "international relations"),
    ("20000647", "political crisis"),
    ("13000000", "science and technology"),
    ("20000735", "scientific research"),
    ("14000000", "society"),
    ("20000771", "immigration"),
    ("15000000", "sport"),
    ("16000000", "conflict, war and peace"),
    ("20000056", "armed conflict"),
    ("20000073", "peace process"),
    ("17000000", "weather"),
)

_GENRES = (
    ("Current", "Current Events"),
    ("Analysis", "Analysis"),
    ("Interview", "Interview"),
    ("Feature", "Feature"),
    ("Background", "Background"),
    ("Opinion", "Opinion"),
    ("Fact_Check", "Fact Check"),
    ("From_the_Scene", "From the Scene"),
)

_SLUG_WORDS = (
    "talks", "prices", "budget", "vote", "floods", "energy", "trade", "summit", "strike",
    "election", "inflation", "court", "health", "climate", "border", "minister", "agreement",
)  # fmt: skip

_EMOJI = ("👏", "🙏", "🔥", "🇫🇷", "👩‍⚕️", "🌊", "📈", "🕊️")
_OFFSETS_UTC = ("Z", "+00:00")
_LICENSES = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-nc-nd/4.0/",
)
_EPOCH = datetime(2016, 1, 1)


# --- building one article --------------------------------------------------------------------


class _Filler(dict[str, str]):
    """Fills one template: every placeholder draws a fresh value, so sentences vary."""

    def __init__(self, builder: _Builder) -> None:
        super().__init__()
        self.b = builder

    def __missing__(self, key: str) -> str:
        b, rng = self.b, self.b.rng
        if key == "person":
            return b.voice()
        if key == "place":
            return b.place_name(b.place if rng.random() < 0.6 else rng.choice(_PLACES))
        if key == "org":
            return b.org_name()
        if key == "weekday":
            return rng.choice(b.lang.weekdays)
        if key == "n":
            return b.number(rng.randint(2, 48))
        if key == "n2":
            return b.number(rng.randint(1, 950))
        if key == "pct":
            return b.number(rng.randint(1, 29)) + b.lang.decimal + b.number(rng.randint(1, 9))
        if key == "year":
            return b.number(rng.randint(1998, 2024))
        raise KeyError(key)


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lang: Language = rng.choices(LANGUAGES, weights=[lang.weight for lang in LANGUAGES])[0]
        self.code = self.lang.tags[0].split("-")[0]
        self.place: _Place = rng.choice(_PLACES)
        self.hex = f"{rng.getrandbits(48):012x}"
        home = _PUBLISHER_FOR[self.code] if rng.random() < 0.9 else rng.randrange(len(_PUBLISHERS))
        self.publisher: tuple[str, str, str | None] = _PUBLISHERS[home]

    # text -----------------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def number(self, value: int) -> str:
        text = str(value)
        if self.lang.digits != "0123456789" and self.chance(0.5):
            return text.translate(str.maketrans("0123456789", self.lang.digits))
        return text

    def place_name(self, place: _Place) -> str:
        return place.local.get(self.code, place.name)

    def voice(self) -> str:
        if self.chance(0.35):
            name, _, local = self.rng.choice(_PEOPLE)
            return local.get(self.code, name)
        return self.rng.choice(_VOICES[self.code])

    def org_name(self) -> str:
        if self.chance(0.3):
            return self.rng.choice(_AGENCIES)[1]
        name = self.rng.choice(_ORGS)[0]
        return name.removeprefix("the ") if self.code != "en" else name

    def fill(self, template: str) -> str:
        return template.format_map(_Filler(self))

    def sentence(self) -> str:
        text = self.fill(self.rng.choice(self.lang.sentences))
        if self.chance(0.03):
            text += " " + self.rng.choice(_EMOJI)
        return text

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def body(self) -> list[JSON]:
        rng = self.rng
        budget = min(max(rng.gauss(1150, 450), 350), 3600)
        blocks: list[JSON] = []
        size = 0
        while size < budget:
            text = self.sentences(1, 3)
            if self.chance(0.04):  # a paragraph with a hard line break, as in poems or addresses
                text = text.replace(" ", "\n", 1)
            blocks.append({"type": "paragraph", "text": text})
            size += len(text.encode())
        if len(blocks) > 3 and self.chance(0.22):
            for _ in range(rng.randint(1, 2)):
                at = rng.randint(2, len(blocks) - 1)
                heading: JSON = {"type": "heading", "text": rng.choice(self.lang.headings)}
                if self.chance(0.3):
                    heading = {"type": "heading", "level": rng.choice((2, 3)), **heading}
                blocks.insert(at, heading)
        if len(blocks) > 2 and self.chance(0.25):
            quote: JSON = {"type": "blockquote", "text": rng.choice(self.lang.quotes)}
            if self.chance(0.8):
                quote["attribution"] = self.voice()
            blocks.insert(rng.randint(1, len(blocks) - 1), quote)
        if len(blocks) > 2 and self.chance(0.12):
            items = rng.sample(self.lang.list_items, k=min(len(self.lang.list_items), 3))
            listing: JSON = {"type": "list"}
            if self.chance(0.4):
                listing["ordered"] = True
            listing["items"] = [self.fill(item) for item in items]
            blocks.insert(rng.randint(1, len(blocks) - 1), listing)
        return blocks

    # dates ----------------------------------------------------------------------------------

    def stamp(self, moment: datetime, *, local: bool = True) -> str:
        """RFC 3339 with the dateline place's offset (or UTC, as agencies often write)."""
        if local and not self.chance(0.2):
            minutes = self.place.offset
            sign = "+" if minutes >= 0 else "-"
            offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
            moment += timedelta(minutes=minutes)
        else:
            offset = self.rng.choice(_OFFSETS_UTC)
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if self.chance(0.1):
            text += f".{self.rng.randint(0, 999):03d}"
        return text + offset

    # parties and things ---------------------------------------------------------------------

    def person(self, roles: Sequence[str]) -> JSON:
        rng = self.rng
        name = rng.choice(_JOURNALISTS) if self.chance(0.7) else rng.choice(_VOICES[self.code])
        out: JSON = {"name": name}
        if self.chance(0.6):
            out["role"] = rng.choice(roles)
        if self.chance(0.7):
            out["url"] = f"{self.publisher[1]}authors/{rng.randint(100, 99999)}"
        if self.chance(0.15):
            out["wikidata"] = f"Q{rng.randint(1_000_000, 130_000_000)}"
        if self.chance(0.2):
            out["sameAs"] = [
                f"https://orcid.org/0000-000{rng.randint(1, 3)}-{rng.randint(1000, 9999)}-"
                f"{rng.randint(1000, 9999)}"
            ]
        return out

    def organization(self, name: str, url: str, wikidata: str | None, logo: bool) -> JSON:
        out: JSON = {"name": name, "url": url}
        if logo:
            out["logo"] = {"url": f"{url}static/logo.png", "width": 600, "height": 60}
        if wikidata:
            out["wikidata"] = wikidata
        return out

    def entity(self) -> JSON:
        rng = self.rng
        kind = rng.choices(("person", "organization", "place"), weights=(4, 3, 3))[0]
        if kind == "person":
            name, qid, local = rng.choice(_PEOPLE)
            out: JSON = {"type": "person", "name": local.get(self.code, name), "wikidata": qid}
            if self.chance(0.2):
                out["sameAs"] = [f"https://www.wikidata.org/wiki/{qid}"]
            return out
        if kind == "organization":
            if self.chance(0.5):
                full, _, url, qid = rng.choice(_AGENCIES)
                return {"type": "organization", "name": full, "wikidata": qid, "sameAs": [url]}
            name, qid = rng.choice(_ORGS)
            return {"type": "organization", "name": name.removeprefix("the "), "wikidata": qid}
        place = rng.choice(_PLACES)
        return {
            "type": "place",
            "name": self.place_name(place),
            "wikidata": place.wikidata,
            "geonames": place.geonames,
            "countryCode": place.country_code,
            "geo": {"latitude": place.lat, "longitude": place.lon},
        }

    def image(self, year: int) -> JSON:
        rng = self.rng
        width, height = rng.choice(((1920, 1080), (1200, 800), (4000, 2667), (1080, 1350)))
        ext, media = rng.choice((("jpg", "image/jpeg"),) * 4 + (("webp", "image/webp"),))
        out: JSON = {"url": f"https://img.example.com/{year}/{rng.getrandbits(40):010x}.{ext}"}
        if self.chance(0.9):
            out["caption"] = self.sentence()
        if self.chance(0.6):
            out["altText"] = self.fill(rng.choice(self.lang.list_items))
        if self.chance(0.8):
            out["credit"] = f"{rng.choice(_JOURNALISTS)} / {rng.choice(_AGENCIES)[1]}"
        if self.chance(0.85):
            out["width"], out["height"] = width, height
        if self.chance(0.7):
            out["mediaType"] = media
        return out

    # the article ----------------------------------------------------------------------------

    def build(self) -> JSON:  # noqa: PLR0915 (one line per field, in schema order)
        rng, lang = self.rng, self.lang
        pub_name, pub_url, pub_qid = self.publisher
        created = _EPOCH + timedelta(seconds=rng.randrange(10 * 365 * 86400))
        published = created + timedelta(minutes=rng.randint(5, 600))
        modified = published + timedelta(minutes=rng.randint(0, 4000))
        day = published + timedelta(minutes=self.place.offset)
        ymd = day.strftime("%Y%m%d")
        version = rng.choices((1, 2, 3, 4, 5), weights=(75, 15, 6, 3, 1))[0]
        status = rng.choices(("usable", "withheld", "canceled", None), weights=(52, 2, 1, 45))[0]

        a: JSON = {}
        if self.chance(0.7):
            a["id"] = f"urn:newsml:{pub_url.split('/')[2]}:{ymd}:{self.hex}"
        else:
            a["id"] = f"{pub_url}id/{self.hex}"
        a["version"] = version
        slug = "-".join([*rng.sample(_SLUG_WORDS, rng.randint(2, 4)), self.hex[:6]])
        if self.chance(0.92):
            a["slug"] = slug
        if self.chance(0.9):
            a["url"] = f"{pub_url}{day:%Y/%m/%d}/{slug}/"
        a["headline"] = self.fill(rng.choice(lang.headlines))
        if self.chance(0.35):
            a["subheadline"] = self.sentence()
        if self.chance(0.65):
            a["summary"] = self.sentences(1, 2)
        tags = lang.tags
        a["language"] = tags[0] if self.chance(0.7) else rng.choice(tags)
        a["body"] = self.body()
        if self.chance(0.8):
            a["dateCreated"] = self.stamp(created)
        if self.chance(0.95):
            a["datePublished"] = (
                day.strftime("%Y-%m-%d") if self.chance(0.04) else self.stamp(published)
            )
        if version > 1 or self.chance(0.6):
            a["dateModified"] = self.stamp(modified)
        if self.chance(0.04):
            a["embargoedUntil"] = self.stamp(published)
        if status:
            a["pubStatus"] = status
        if self.chance(0.65):
            a["urgency"] = rng.choices(range(1, 10), weights=(1, 2, 4, 8, 10, 6, 3, 2, 1))[0]
        if self.chance(0.45):
            a["genres"] = [
                {"scheme": "genre", "code": code, "label": label,
                 "uri": f"http://cv.iptc.org/newscodes/genre/{code}"}
                for code, label in rng.sample(_GENRES, rng.randint(1, 2))
            ]  # fmt: skip
        if self.chance(0.85):
            a["section"] = rng.choice(lang.sections)
        corrected = version > 1 and self.chance(0.25)
        signals = []
        if version > 1:
            signals.append("correction" if corrected else "update")
        if status == "canceled":
            signals.append("kill")
        if signals:
            a["signals"] = signals
        if self.chance(0.1) or status in ("withheld", "canceled"):
            a["notes"] = [{"text": self.sentence(), "audience": "partner"}]
        if corrected:
            a["corrections"] = [{"date": self.stamp(modified), "text": self.sentences(1, 1)}]
        if self.chance(0.75):
            place = self.place
            name = self.place_name(place)
            text = name.upper() if lang.upper_dateline else name
            if self.chance(0.3):
                text += f"{lang.comma}{place.country}"
            if self.chance(0.2):
                text += f" ({rng.choice(_AGENCIES)[1]})"
            dateline: JSON = {"text": f"{text} {lang.dash}"}
            if self.chance(0.85):
                dateline["place"] = {
                    "name": name,
                    "country": place.country,
                    "countryCode": place.country_code,
                    "geo": {"latitude": place.lat, "longitude": place.lon},
                    "geonames": place.geonames,
                    "wikidata": place.wikidata,
                }
            if self.chance(0.6):
                dateline["date"] = day.strftime("%Y-%m-%d")
            a["dateline"] = dateline
        if self.chance(0.85):
            count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            a["authors"] = [self.person(_ROLES) for _ in range(count)]
        if self.chance(0.2):
            a["contributors"] = [
                {**self.person(_CONTRIBUTOR_ROLES), "role": rng.choice(_CONTRIBUTOR_ROLES)}
            ]
        agency = rng.choice(_AGENCIES)
        if self.chance(0.95):
            a["publisher"] = self.organization(pub_name, pub_url, pub_qid, logo=True)
        if self.chance(0.55):
            a["provider"] = self.organization(pub_name, pub_url, pub_qid, logo=False)
        if self.chance(0.3):
            a["sourceAgency"] = self.organization(agency[0], agency[2], agency[3], logo=False)
        if self.chance(0.45):
            a["creditLine"] = f"{pub_name} / {agency[1]}"
        if self.chance(0.8):
            year = int(day.strftime("%Y"))
            rights: JSON = {
                "copyrightHolder": {"name": pub_name, "url": pub_url},
                "copyrightNotice": f"© {year} {pub_name}. All rights reserved.",
                "copyrightYear": year,
            }
            if self.chance(0.15):
                rights["license"] = rng.choice(_LICENSES)
            if self.chance(0.5):
                rights["usageTerms"] = "Not for redistribution without a syndication agreement."
            a["rights"] = rights
        if self.chance(0.4):
            a["isAccessibleForFree"] = self.chance(0.7)
        if self.chance(0.9):
            a["subjects"] = [
                {"scheme": "medtop", "code": code, "label": label,
                 "uri": f"http://cv.iptc.org/newscodes/mediatopic/{code}"}
                for code, label in rng.sample(_MEDTOP, rng.randint(1, 4))
            ]  # fmt: skip
        if self.chance(0.7):
            a["keywords"] = rng.sample(lang.keywords, rng.randint(2, min(5, len(lang.keywords))))
        if self.chance(0.55):
            a["about"] = _unique_entities(self.entity() for _ in range(rng.randint(1, 2)))
        if self.chance(0.7):
            a["mentions"] = _unique_entities(self.entity() for _ in range(rng.randint(1, 5)))
        if self.chance(0.7):
            a["images"] = [self.image(day.year) for _ in range(rng.randint(1, 3))]
        if self.chance(0.4):
            a["related"] = [
                {"url": f"{pub_url}{day:%Y/%m/%d}/{rng.getrandbits(32):08x}/",
                 "title": self.fill(rng.choice(lang.headlines))}
                for _ in range(rng.randint(1, 3))
            ]  # fmt: skip
        if self.chance(0.05):
            a["extensions"] = {"x-analytics": {"desk": "night", "priority": rng.randint(1, 5)}}
        return a


def _unique_entities(entities: Iterator[JSON]) -> list[JSON]:
    seen: dict[str, JSON] = {}
    for entity in entities:
        seen.setdefault(entity["name"], entity)
    return list(seen.values())


# --- the public functions --------------------------------------------------------------------


def article(index: int, seed: int = DEFAULT_SEED) -> JSON:
    """Article ``index`` of the archive ``seed``: the same dict on every run and machine."""
    return _Builder(random.Random(f"wirekit-benchmarks/{seed}/{index}")).build()


def articles(n: int, seed: int = DEFAULT_SEED) -> list[JSON]:
    """The first ``n`` articles of the archive ``seed``."""
    return [article(i, seed) for i in range(n)]


def dumps(data: JSON) -> bytes:
    """One article as a JSON Lines record: compact UTF-8 and a newline."""
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def jsonl(n: int, seed: int = DEFAULT_SEED) -> bytes:
    """The first ``n`` articles as JSON Lines."""
    return b"".join(dumps(article(i, seed)) for i in range(n))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write N synthetic, schema-valid canonical articles as JSON Lines.",
    )
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("--out", type=Path, help="the .jsonl file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="another archive")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must not be negative")
    if args.out is None:
        for i in range(args.n):
            sys.stdout.buffer.write(dumps(article(i, args.seed)))
        sys.stdout.buffer.flush()
        return 0
    partial = args.out.with_name(args.out.name + ".partial")
    with partial.open("wb") as stream:
        for i in range(args.n):
            stream.write(dumps(article(i, args.seed)))
    partial.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
