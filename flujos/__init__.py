"""The viewflow flow (flows.py: routing only), its inbox and queue views and the Site at
/flujos/."""
