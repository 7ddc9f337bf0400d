"""Sign-in: lockout after wrong passwords, session expiry, the record of sign-ins and
browser policies. A shared lower layer: it imports no other app of the project."""
