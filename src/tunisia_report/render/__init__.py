"""The driver: `plan` (variants, parameters, cache keys; no kernel) → `execute` (papermill, one
notebook) → `run` (staging, workers, export, atomic publish), with `cache`, `variants`,
`progress` and the `render` command line (`cli`). Importing it imports nothing heavy."""
