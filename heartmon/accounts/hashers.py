"""Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).

Django's defaults (100 MiB, 8 lanes) cost about 190 ms of CPU per sign-in on our 2-core
machines, and eight threads per hash; under a burst of sign-ins they held every WSGI slot and
stalled other requests for 1 to 10 s (issue 13 item 4). These parameters cost about a tenth.
Hashes made with other parameters still verify and are re-hashed at the next sign-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
