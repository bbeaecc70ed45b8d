"""Group workshops: programmes held as series of sessions, enrolment with a waiting list,
attendance and completion. Pure of Flask: pages pass the session, the acting user and
``now``; refusals are codes (:class:`WorkshopError`) that pages turn into words."""
