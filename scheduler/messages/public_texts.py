"""The words of every message to a person helped in the public pages' other languages:
Arabic, Spanish and Portuguese (:data:`scheduler.core.i18n.PUBLIC_LANGUAGES`).

Someone who asked for help, or enrolled in a workshop, in one of these languages is
written to in it: the booking, the appointment, its reminder, its move or cancellation,
a workshop seat and an enrolment. These are the defaults, which an organisation may
replace as it does the French and English ones; they are short and polite (``usted``;
``o seu``, ``lhe``), and where they can they avoid the volunteer's grammatical gender,
which a first name does not tell.

:mod:`.texts` merges them into its ``DEFAULTS`` and ``PHRASES``.
"""

from __future__ import annotations

from scheduler.models import MessageKind

OTHER_LANGUAGES = ("ar", "es", "pt")

DEFAULTS: dict[MessageKind, dict[str, dict[str, str]]] = {
    MessageKind.BOOKING: {
        "ar": {
            "subject": "طلبك للمساعدة الرقمية {reference}",
            "body": "مرحبًا {first_name}. وصلنا طلبك. رقمك: {reference}. لرؤيته أو إلغائه: "
            "{link} سنتصل بك قريبًا. {organisation}",
        },
        "es": {
            "subject": "Su solicitud de ayuda digital {reference}",
            "body": "Hola, {first_name}. Recibimos su solicitud. Su número: {reference}. "
            "Para verla o cancelarla: {link} Le llamaremos pronto. {organisation}",
        },
        "pt": {
            "subject": "O seu pedido de ajuda digital {reference}",
            "body": "Olá, {first_name}. Recebemos o seu pedido. O seu número: {reference}. "
            "Para o ver ou cancelar: {link} Vamos ligar-lhe em breve. {organisation}",
        },
    },
    MessageKind.APPOINTMENT: {
        "ar": {
            "subject": "موعدك: {when}",
            "body": "مرحبًا {first_name}. موعدك: {when}. {details} رقمك: {reference}. "
            "للتغيير: {contact}. {organisation}",
        },
        "es": {
            "subject": "Su cita: {when}",
            "body": "Hola, {first_name}. Su cita: {when}. {details} Su número: {reference}. "
            "Para cambiarla: {contact}. {organisation}",
        },
        "pt": {
            "subject": "A sua marcação: {when}",
            "body": "Olá, {first_name}. A sua marcação: {when}. {details} O seu número: "
            "{reference}. Para a mudar: {contact}. {organisation}",
        },
    },
    MessageKind.REMINDER: {
        "ar": {
            "subject": "تذكير: موعدك غدًا",
            "body": "مرحبًا {first_name}. تذكير: موعدك غدًا، {when}. {details} "
            "إذا لم تستطع، أخبرنا: {contact}. {organisation}",
        },
        "es": {
            "subject": "Recordatorio: cita mañana",
            "body": "Hola, {first_name}. Recordatorio: cita mañana, {when}. {details} "
            "Si no puede, avísenos: {contact}. {organisation}",
        },
        "pt": {
            "subject": "Lembrete: marcação amanhã",
            "body": "Olá, {first_name}. Lembrete: marcação amanhã, {when}. {details} "
            "Se não puder, avise-nos: {contact}. {organisation}",
        },
    },
    MessageKind.MOVED: {
        "ar": {
            "subject": "تغيّر موعدك",
            "body": "مرحبًا {first_name}. تغيّر موعدك. الموعد الجديد: {when}. {details} "
            "للأسئلة: {contact}. {organisation}",
        },
        "es": {
            "subject": "Su cita cambia",
            "body": "Hola, {first_name}. Su cita cambia. Nueva fecha: {when}. {details} "
            "Preguntas: {contact}. {organisation}",
        },
        "pt": {
            "subject": "A sua marcação mudou",
            "body": "Olá, {first_name}. A sua marcação mudou. Nova data: {when}. {details} "
            "Perguntas: {contact}. {organisation}",
        },
    },
    MessageKind.CANCELLED: {
        "ar": {
            "subject": "أُلغي موعدك",
            "body": "مرحبًا {first_name}. أُلغي موعدك يوم {when}. لموعد آخر: {contact}. "
            "{organisation}",
        },
        "es": {
            "subject": "Cita cancelada",
            "body": "Hola, {first_name}. Su cita del {when} está cancelada. "
            "Para otra cita: {contact}. {organisation}",
        },
        "pt": {
            "subject": "Marcação cancelada",
            "body": "Olá, {first_name}. A sua marcação de {when} foi cancelada. "
            "Para outra marcação: {contact}. {organisation}",
        },
    },
    MessageKind.WORKSHOP_OFFER: {
        "ar": {
            "subject": "مكان لك: {programme}",
            "body": "مرحبًا {first_name}. يوجد مكان شاغر في ورشة {programme}، في {place}، "
            "ابتداءً من {when}. لأخذه: {link} ينتظرك المكان حتى {expires}. "
            "أو اتصل بنا: {contact}. {organisation}",
        },
        "es": {
            "subject": "Un lugar para usted: {programme}",
            "body": "Hola, {first_name}. Hay un lugar libre en el taller {programme}, "
            "en {place}, a partir del {when}. Para tomarlo: {link} "
            "Se lo guardamos hasta el {expires}. O llámenos: {contact}. {organisation}",
        },
        "pt": {
            "subject": "Um lugar para si: {programme}",
            "body": "Olá, {first_name}. Há um lugar livre na oficina {programme}, "
            "em {place}, a partir de {when}. Para o ocupar: {link} "
            "Guardamo-lo até {expires}. Ou ligue-nos: {contact}. {organisation}",
        },
    },
    MessageKind.WORKSHOP_ENROLLED: {
        "ar": {
            "subject": "تسجيلك في ورشة {programme}",
            "body": "مرحبًا {first_name}. وصلنا تسجيلك في ورشة {programme}، في {place}. "
            "{status} الحصص: {sessions}. صفحتك، لرؤيتها أو للانسحاب: {link} "
            "للأسئلة: {contact}. {organisation}",
        },
        "es": {
            "subject": "Su inscripción en el taller {programme}",
            "body": "Hola, {first_name}. Recibimos su inscripción en el taller {programme}, "
            "en {place}. {status} Sesiones: {sessions}. Su página, para verlas o retirarse: "
            "{link} Preguntas: {contact}. {organisation}",
        },
        "pt": {
            "subject": "A sua inscrição na oficina {programme}",
            "body": "Olá, {first_name}. Recebemos a sua inscrição na oficina {programme}, "
            "em {place}. {status} Sessões: {sessions}. A sua página, para as ver ou "
            "desistir: {link} Perguntas: {contact}. {organisation}",
        },
    },
}

#: The sentences of these messages: who comes or calls (``{details}``), the enrolment's
#: seat or place on the waiting list (``{status}``).
PHRASES: dict[str, dict[str, str]] = {
    "ar": {
        "home": "زيارة في بيتك مع {volunteer}. الوصول بين {start} و{end}.",
        "home_anyone": "زيارة في بيتك مع متطوع. الوصول بين {start} و{end}.",
        "phone": "مكالمة من {volunteer} على الرقم {phone}.",
        "phone_anyone": "مكالمة من متطوع على الرقم {phone}.",
        "dropin": "ننتظرك في {site}، {address}، يوم {day} الساعة {time}.",
        "dropin_welcome": "في استقبالك: {volunteer}.",
        "enrolled_seat": "مكانك محجوز لك.",
        "enrolled_waiting": "الورشة ممتلئة: رقمك {position} في قائمة الانتظار. "
        "سنكتب لك إذا تحرّر مكان.",
    },
    "es": {
        "home": "{volunteer} irá a su casa. Llegada entre las {start} y las {end}.",
        "home_anyone": "Un voluntario irá a su casa. Llegada entre las {start} y las {end}.",
        "phone": "{volunteer} le llamará al {phone}.",
        "phone_anyone": "Un voluntario le llamará al {phone}.",
        "dropin": "Venga a {site}, {address}, el {day} a las {time}.",
        "dropin_welcome": "Le recibe {volunteer}.",
        "enrolled_seat": "Su lugar está reservado.",
        "enrolled_waiting": "El taller está lleno: usted es el número {position} en la lista "
        "de espera. Le escribiremos si se libera un lugar.",
    },
    "pt": {
        "home": "{volunteer} vai à sua casa. Chegada entre as {start} e as {end}.",
        "home_anyone": "Um voluntário vai à sua casa. Chegada entre as {start} e as {end}.",
        "phone": "{volunteer} vai ligar-lhe para o {phone}.",
        "phone_anyone": "Um voluntário vai ligar-lhe para o {phone}.",
        "dropin": "Venha a {site}, {address}, {day}, às {time}.",
        "dropin_welcome": "À sua espera: {volunteer}.",
        "enrolled_seat": "O seu lugar está reservado.",
        "enrolled_waiting": "A oficina está cheia: é o número {position} na lista de espera. "
        "Escrevemos-lhe se um lugar ficar livre.",
    },
}
