"""Issue, sign, verify, cancel and rectify a dictamen, keep its integrity and renew its archive
timestamps."""
