// The --help text of `detect --federated` (printed with detect's own: main.ts answers --help
// before the command runs). Text only, so detect's start-up loads nothing more.

export const detectFederatedHelp = `usage: distillwatch detect --federated --input F --output G [--forum-out R] [--forum-key-file K]
       [--local-alerts confirmed|immediate] [--verdicts V] [--config C] [--dlq D] [--threads N]

The offline twin of a federation: every lab's node and the forum in one process, over one
NDJSON file of usage events split by \`lab\`. Each lab detects on its own events (local alerts)
and sends the forum one forum record per account-window (numbers, topic ids, keyed tokens; no
prompt text, no raw identifier); the forum links accounts across labs, scores accounts and
campaigns like the central detector and sends each lab involved its alerts. Deterministic.

flags:
  --input F           usage events: .ndjson, .ndjson.gz, or - for stdin
  --output G          every alert as each lab involved receives it (NDJSON: the alert fields plus
                      recipient_lab; accounts = the recipient's own accounts, linked_accounts =
                      other labs' members as {lab, token}), by window_end, alert_id, recipient_lab
  --forum-out R       also write every forum record that crossed (NDJSON; schemas/README.md)
  --forum-key-file K  JSON keys: {"forum": {"current": HEX, "previous": HEX}, "labs": {"lab-a": HEX, ...}}
                      (hex, at least 32 bytes each; "previous" only while a rotation overlaps;
                      every lab in the input needs its own key). Without K: fixed public test
                      keys, and a warning
  --local-alerts M    how a lab's local alerts reach its feed. confirmed (default): each waits
                      until the forum has scored its window and is shown only when the forum
                      scored one of its accounts above the threshold (fewer false pages, later);
                      the forum's alert on a single-lab subject is shown where the lab had none.
                      immediate: shown as the lab's own detector raises them, and the forum's
                      single-lab alerts are not shown (what the streaming bridge delivers).
                      In both, the forum's alerts on what no lab sees alone (members at two or
                      more labs, or a KYC tier only the spend across labs shows) are shown at once
  --verdicts V        the labs' on-call verdicts (AlertVerdict NDJSON, as for detect), each of the
                      lab of the accounts it names: it applies to that lab's own scorer, and a
                      verdict on a forum alert also reaches the forum (the decision only: no
                      note, no analyst), which applies it as the central scorer does
  --config C          detector settings, as for detect
  --dlq D             dead-letter file (default: G + ".dlq.ndjson", or detect.dlq.ndjson for stdout)
  --threads N         threads in all, as for detect (default: every core); the output is
                      byte-identical for every N`;
