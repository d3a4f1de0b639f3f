"""One module per system under test; each defines `WORKLOADS = {id: setup}` where
`setup()` returns `(step, check)`: `step()` runs the workload once and `check()` returns
what is compared with the float64 reference."""
