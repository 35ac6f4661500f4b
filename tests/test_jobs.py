"""The job contract (app/engine/jobs.py): typed Progress, a closed set of message keys, results by return."""

import threading

import pytest

from app.engine import jobs
from app.engine.jobs import JobControl, Phase, Progress, run_job


def _job(control=None):
    control = JobControl.of(control)
    done = 0
    for done in range(1, 4):
        if control.should_stop():
            break
        yield Progress(Phase.RUNNING, done, 3, "train.step", {"step": done, "total": 3})
    return {"steps": done}


def test_run_job_returns_the_generator_result_and_passes_every_progress():
    seen = []
    assert run_job(_job(), seen.append) == {"steps": 3}
    assert [p.done for p in seen] == [1, 2, 3]
    assert seen[-1].fraction == 1.0 and seen[0].message == "step 1"


def test_a_plain_should_stop_callable_works_as_a_control():
    calls = iter([False, True])
    assert run_job(_job(lambda: next(calls))) == {"steps": 2}


def test_progress_refuses_a_key_outside_the_closed_set():
    with pytest.raises(ValueError):
        Progress(Phase.RUNNING, 0, 1, "step")


def test_every_template_renders_with_its_documented_names():
    import string

    for key, template in jobs.MESSAGE_KEYS.items():
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert Progress(Phase.RUNNING, 0, 1, key, {n: "x" for n in names}).message != key, key


def test_progress_has_only_the_contract_names():
    """The older record's names (.step, .key) are gone: read done and message_key."""
    p = Progress(Phase.RUNNING, 2, 9, "finetune.collapse_restored", {"step": 2})
    assert (p.done, p.message_key) == (2, "finetune.collapse_restored")
    assert not hasattr(p, "step") and not hasattr(p, "key")


def test_control_pause_cancel_and_finish_early():
    c = JobControl()
    c.pause()
    assert c.paused
    t = threading.Timer(0.05, c.resume)
    t.start()
    c.wait_while_paused(poll=0.01)
    assert not c.paused
    c.finish_early()
    assert c.should_stop() and not c.cancelled
    c2 = JobControl(lambda: True)
    assert c2.should_stop() and c2.cancelled and c2()


def test_every_message_key_written_in_the_engine_is_in_the_closed_set():
    """String constants shaped like a job's message key ("finetune.step") anywhere in app/engine are listed."""
    import ast
    import re
    from pathlib import Path

    prefixes = {k.split(".")[0] for k in jobs.MESSAGE_KEYS}
    shape = re.compile(rf"^({'|'.join(prefixes)})\.(?!json$)[a-z_]+$")  # not a file name (finetune.json)
    seen = set()
    for path in Path(jobs.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and shape.match(node.value):
                seen.add(node.value)
    assert seen and seen <= set(jobs.MESSAGE_KEYS), seen - set(jobs.MESSAGE_KEYS)


def test_the_training_loop_keys_of_every_recipe_are_in_the_closed_set():
    """The loop composes "<recipe>.step" and, for recipes with recovery, "<recipe>.nan_restored" and
    "<recipe>.collapse_restored"."""
    from app.engine.finetune import Finetuner
    from app.engine.train import Trainer
    from app.engine.upscale_train import UpscalerTrainer

    for recipe, recovers in ((Trainer, True), (Finetuner, True), (UpscalerTrainer, False)):
        names = ["step"] + (["nan_restored", "collapse_restored"] if recovers else [])
        assert {f"{recipe.key}.{n}" for n in names} <= set(jobs.MESSAGE_KEYS), recipe
