"""Operations writes: backup and restore, history import, the state profile, pending
configuration changes by type, periodic runs, health and alerts."""
