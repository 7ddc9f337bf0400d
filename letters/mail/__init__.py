"""E-mail as a source of received letters: a unit's mailbox, polled over IMAP by Celery
beat; each unseen message becomes an item waiting to be booked in (letters.services.
letter_intake), flagged seen on the server only after that item is committed; the sender
may be told the letter's เลขรับ by reply once it is booked in."""
