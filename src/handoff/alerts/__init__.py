"""Breach alerts (`handoff alert`, docs/alerts.md): the call list's leads, each sent once per
stage to a generic webhook, Slack and email, remembered in the store's `alerts_sent` table.

- `queue`: the alerts of a run, from the model's call list;
- `config`: the configured destinations and their secrets;
- `messages`: the webhook JSON, Slack Block Kit messages and the email, data text escaped;
- `transport`: HTTP and SMTP delivery with bounded retries;
- `log`: what was sent and what failed, in the store;
- `send`: one run.
"""
