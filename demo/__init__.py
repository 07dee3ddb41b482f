"""Demo data, the history generator and the test certification authorities; installed only in
local, test and bench settings."""
