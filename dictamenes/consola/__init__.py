"""The configuration console (issue 63): the administrators' pages that configure the office,
served under /cuentas/ with the names they always had (`urls`): people and roles, the changes
that wait for a second administrator, the review areas, the agencies, the institution's texts
and the stages' deadlines, the review tracks, the reasons for not approving and the standards'
editions, absences and loans, the non-working days, and the operator's «Estado del sistema».
Pages only (`views`, with `views.pedidos`, the dual-control request every page makes, and the
forms only they use in `forms`): every rule lives in the capability that owns it, and the
console calls its doors. It sits above every capability and may import all of them; none
imports it, and neither does `cuentas` (sign-in, identity and accounts), which a contract in
pyproject.toml keeps from holding configuration pages again."""
