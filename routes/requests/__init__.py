"""The dispatcher's side of requests: the inbox (blueprint ``inbox``) and phone intake
(blueprint ``intake``)."""
