# Run status and roll-back (greenindex.runstate): results/RUN_STATUS.txt while a run is
# active; a failed or interrupted run puts results/ back as the last complete run left it.

from greenindex.runstate import record_failure, record_start, record_success


onstart:
    record_start()


onsuccess:
    record_success()


onerror:
    state = record_failure()
    print(
        "The run failed: results/ was restored to the last complete run (see results/RUN_STATUS.txt)."
        if state["rolled_back"]
        else "The run failed and no complete run exists to restore: see results/RUN_STATUS.txt.",
        file=sys.stderr,
    )
