from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all, names_bound, names_read, simple_assignments

_WORKERS = frozenset(
    {"threading.Thread", "multiprocessing.Process", "multiprocessing.context.Process"}
)
_POOLS = frozenset(
    {
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
        "multiprocessing.pool.ThreadPool",
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
    }
)
# Tests start threads and processes on purpose: concurrency and isolation are what they test.
_TEST_FILE = re.compile(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$")
_SUBPROCESSES = frozenset(
    {
        "subprocess.run",
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
    }
)


class WorkerSpawnedInLoop(Rule):
    """## What it does
    Flags, inside a loop or comprehension:
    - a `threading.Thread(...)` or `multiprocessing.Process(...)` created per item, that
      is in a loop that does not run over `range(...)` (`for _ in range(n_workers)`
      builds a pool of workers, which is the remedy, not the waste);
    - a pool constructed per iteration: `multiprocessing.Pool`, `ThreadPool`,
      `ThreadPoolExecutor`, `ProcessPoolExecutor`;
    - `subprocess.run` / `Popen` / `call` / `check_call` / `check_output` whose program
      (the first item of the argument list, or the first word of a command string) does
      not depend on the loop: the same program is started once per item.

    Not reported: a thread handed a connection accepted in the same loop (a thread per
    client, which lives as long as the connection), a thread or process started in a loop
    that waits for an event on every iteration (`restart.wait()`: a supervisor that
    restarts one worker per event), a thread or process stored on an object
    (`self.threads[i] = Thread(…)`, `self.workers.append(t)`: one long-lived worker per
    item, such as a reader thread per video stream, that lives as long as the object; a
    pool would still need one worker per item), `[python, "-c", code]` (each run
    needs a fresh interpreter), and test files (`test_*.py`, `*_test.py`, `conftest.py`,
    `tests/`, `testing/`), where starting threads and processes is usually what is
    being tested.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 3 shown findings
    were worth a change, and 0 of 4 over the earlier rounds: the loops started one worker
    per camera, stream or configured job, a handful that live as long as the process, or
    ran once at start-up. Enable it (`extend-select = ["ECO605"]`) to review loops over
    data that start a thread or process per item.

    ## Why is this wasteful?
    Creating a thread costs a stack and a system call; a process costs a fork or a spawn,
    an interpreter start-up and its imports; a pool costs all of its workers. Paid once
    per item, this set-up often exceeds the work itself. One pool created once and fed
    with `map`, or one subprocess given all the arguments, pays it once.

    ## Example
    ```python
    for path in paths:
        subprocess.run(["gzip", path], check=True)
    for url in urls:
        threading.Thread(target=fetch, args=(url,)).start()
    ```

    Use instead:
    ```python
    subprocess.run(["gzip", *paths], check=True)
    with ThreadPoolExecutor(max_workers=8) as pool:
        pool.map(fetch, urls)
    ```

    ## Evidence
    `bench/rules/eco605_worker_spawned_in_loop.py` on a 2-core x86-64 VM (CPython 3.11,
    shared with other jobs, so figures are noisy; median of 5 paired runs). A
    `threading.Thread` started and joined per small job against
    `ThreadPoolExecutor(8).map` (pool start-up included): n=100: 7.2 ms against 1.9 ms
    (3.9x); n=1,000: 193 ms against 21.5 ms (7.9x); n=10,000: 1.31 s against 0.52 s
    (2.5x). `wc -c` run once per file against one `wc -c` given every path: n=10:
    10.2 ms against 1.1 ms (8.7x); n=100: 279 ms against 2.2 ms (149x); n=1,000: 2.5 s
    against 11.6 ms (226x), with 1.09 s against 0.01 s of CPU (this process and its
    children).

    Summary: a thread per job vs one pool 3.9x / 7.9x / 2.5x at n=10² / 10³ / 10⁴; a
    `wc` process per file vs one batch 8.7x / 149x / 226x at n=10 / 100 / 1,000 (2
    cores, CPython 3.11).

    ## References
    - `concurrent.futures.Executor.map`; `multiprocessing.Pool.map`
    """

    code = "ECO605"
    name = "worker-spawned-in-loop"
    message = "{what} on every iteration; {alternative}"
    impact = "high"
    opt_in = True
    VALID = [
        Valid(
            """
            import threading

            for _ in range(4):
                threading.Thread(target=worker, args=(q,), daemon=True).start()
            """
        ),
        Valid(
            """
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(8) as pool:
                for r in pool.map(fetch, urls):
                    print(r)
            """
        ),
        Valid("""
            import subprocess

            for cmd in commands:
                subprocess.run(cmd, check=True)
            """),
        Valid(
            """
            import subprocess

            for tool in ('black', 'ruff'):
                subprocess.run([tool, 'src'], check=True)
            """
        ),
        Valid("""
            import subprocess

            subprocess.run(['gzip', *paths], check=True)
            """),
        Valid(
            """
            import threading

            for url in urls:
                def start():
                    threading.Thread(target=fetch, args=(url,)).start()
            """
        ),
        Valid(
            """
            import threading

            while True:
                conn, addr = server.accept()
                threading.Thread(target=serve, args=(conn,)).start()
            """
        ),
        Valid(
            """
            import multiprocessing as mp

            def supervise(server, restart):
                while True:
                    process = mp.Process(target=server.run)
                    process.start()
                    restart.wait()
                    process.terminate()
            """
        ),
        Valid(
            """
            import subprocess, sys

            for snippet in snippets:
                subprocess.check_call([sys.executable, '-c', snippet])
            """
        ),
        Valid(
            """
            import subprocess

            for path in paths:
                subprocess.run(['gzip', path])
            """,
            path="tests/test_archive.py",
        ),
        Valid(
            """
            import threading

            threads = [threading.Thread(target=f, args=(a,))
                       for a in 'xy' for _ in range(20)]
            """
        ),
        Valid(
            """
            from threading import Thread

            class LoadStreams:
                def __init__(self, sources):
                    n = len(sources)
                    self.imgs, self.threads = [None] * n, [None] * n
                    for i, s in enumerate(sources):
                        cap = cv2.VideoCapture(s)
                        _, self.imgs[i] = cap.read()
                        self.threads[i] = Thread(target=self.update, args=(i, cap), daemon=True)
                        self.threads[i].start()

                def update(self, i, cap):
                    while cap.isOpened():
                        cap.grab()
            """
        ),
        Valid(
            """
            import multiprocessing as mp

            class Pipeline:
                def start(self, stages):
                    for stage in stages:
                        process = mp.Process(target=stage.run, daemon=True)
                        process.start()
                        self.processes.append(process)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import subprocess

            for path in paths:
                subprocess.run(['gzip', path], check=True)
            """,
            line=4,
        ),
        Invalid(
            """
            from threading import Thread

            for url in urls:
                t = Thread(target=fetch, args=(url,))
                t.start()
            """,
            line=4,
        ),
        Invalid(
            """
            from threading import Thread

            def fetch_all(urls):
                threads = []
                for url in urls:
                    t = Thread(target=fetch, args=(url,))
                    t.start()
                    threads.append(t)
                for t in threads:
                    t.join()
            """,
            line=6,
        ),
        Invalid(
            """
            import multiprocessing as mp

            def run(batches):
                for batch in batches:
                    with mp.Pool(4) as pool:
                        pool.map(work, batch)
            """,
            line=5,
        ),
        Invalid(
            """
            import subprocess, sys

            while queue:
                item = queue.pop()
                cmd = [sys.executable, '-m', 'tool', item]
                subprocess.check_call(cmd)
            """,
            line=6,
        ),
        Invalid(
            """
            import subprocess

            outs = [subprocess.check_output(f'wc -l {p}', shell=True) for p in paths]
            """,
            line=3,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._test_file = bool(_TEST_FILE.search(self.path.replace("\\", "/")))

    def visit_Call(self, node: cst.Call) -> None:
        if self._test_file:
            return
        name = self.qualified_name(node)
        if name in _WORKERS:
            loop = self.enclosing_loop(node)
            if (
                loop is not None
                and not self._over_range(loop)
                and not _serves_connection(node, loop)
                and not _paced_by_event(loop)
                and not self._kept_by_object(node, loop)
            ):
                kind = "a thread" if name == "threading.Thread" else "a process"
                self.report(
                    node,
                    what=f"`{name}(...)` starts {kind}",
                    alternative="create a pool once (`ThreadPoolExecutor`, `Pool`) and `map`",
                )
        elif name in _POOLS:
            if self.in_loop(node):
                self.report(
                    node,
                    what=f"`{name}(...)` builds a whole pool",
                    alternative="create the pool once, before the loop",
                )
        elif name in _SUBPROCESSES:
            loop = self.enclosing_loop(node)
            if loop is not None and node.args and self._fixed_program(node, loop):
                self.report(
                    node,
                    what=f"`{name}(...)` starts the same program",
                    alternative="pass all the arguments to one subprocess, or batch them",
                )

    def _kept_by_object(self, call: cst.Call, loop: cst.CSTNode) -> bool:
        """A worker stored on an object (``self.threads[i] = Thread(…)``,
        ``self.workers.append(t)``): one long-lived worker per item (a reader thread per
        video stream) that lives as long as the object, not a short job per item; a pool
        would still need one worker per item."""
        above = self.ancestors(call)
        parent = above[0] if above else None
        if isinstance(parent, cst.Assign) and parent.value is call:
            if any(_object_slot(target.target) for target in parent.targets):
                return True
            names = {t.target.value for t in parent.targets if isinstance(t.target, cst.Name)}
        elif isinstance(parent, cst.Arg) and len(above) > 1 and isinstance(above[1], cst.Call):
            return _stores_on_object(above[1])
        else:
            return False
        return _stored_on_object(_body(loop), names)

    def _over_range(self, loop: cst.CSTNode) -> bool:
        """``for … in range(…)`` (a fixed number of workers), as a statement or as any
        clause of a comprehension."""
        iterables: list[cst.BaseExpression] = []
        if isinstance(loop, cst.For):
            iterables = [loop.iter]
        elif isinstance(loop, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            clause: cst.CompFor | None = loop.for_in
            while clause is not None:
                iterables.append(clause.iter)
                clause = clause.inner_for_in
        return any(
            isinstance(it, cst.Call) and self.qualified_name(it) == "builtins.range"
            for it in iterables
        )

    def _fixed_program(self, call: cst.Call, loop: cst.CSTNode) -> bool:
        first = call.args[0]
        if first.star or (first.keyword is not None and first.keyword.value != "args"):
            return False
        command = first.value
        bound = names_bound(loop)
        if isinstance(command, cst.Name) and command.value in bound:
            values = simple_assignments(_body(loop), command.value)
            if len(values) != 1:
                return False
            command = values[0]
        program = _program(command)
        if program is None or names_read(program) & bound:
            return False
        return not _runs_inline_code(command)


def _serves_connection(call: cst.Call, loop: cst.CSTNode) -> bool:
    """A thread per accepted connection (``conn, _ = sock.accept()`` in the loop, passed
    to the thread): it lives as long as the connection, so its start-up is amortised."""
    accepted = set()
    for assign in find_all(loop, cst.Assign):
        assert isinstance(assign, cst.Assign)
        value = assign.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "accept"
        ):
            accepted |= names_bound(assign)
    return bool(accepted & names_read(call))


def _object_slot(target: cst.BaseExpression) -> bool:
    """An attribute, or an item of one: ``self.thread``, ``self.threads[i]``."""
    while isinstance(target, cst.Subscript):
        target = target.value
    return isinstance(target, cst.Attribute)


def _stored_on_object(body: cst.CSTNode, names: set[str]) -> bool:
    """Whether ``body`` stores one of ``names`` on an object: ``self.threads[i] = t``,
    ``self.workers.append(t)``."""
    for node in find_all(body, (cst.Assign, cst.Call)):
        if isinstance(node, cst.Assign):
            value = node.value
            if (
                isinstance(value, cst.Name)
                and value.value in names
                and any(_object_slot(target.target) for target in node.targets)
            ):
                return True
        elif _stores_on_object(node) and names & names_read(node):
            return True
    return False


def _stores_on_object(call: cst.Call) -> bool:
    """``self.workers.append(…)`` / ``.add(…)``: a collection kept on an object."""
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("append", "add")
        and _object_slot(func.value)
    )


def _paced_by_event(loop: cst.CSTNode) -> bool:
    """A loop that waits for an event on every iteration (``restart.wait()``): a
    supervisor that starts one worker per event (a restart, a reload), not one per item,
    so the worker's start-up is paid once per event."""
    for call in find_all(_body(loop), cst.Call):
        assert isinstance(call, cst.Call)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "wait":
            return True
    return False


def _runs_inline_code(command: cst.BaseExpression) -> bool:
    """``[python, "-c", code]``: each iteration runs its own code in a fresh interpreter
    (isolation is the point), which no batching can replace."""
    if not isinstance(command, (cst.List, cst.Tuple)) or len(command.elements) < 2:
        return False
    flag = command.elements[1].value
    return isinstance(flag, cst.SimpleString) and flag.evaluated_value == "-c"


def _body(loop: cst.CSTNode) -> cst.CSTNode:
    return loop.body if isinstance(loop, (cst.For, cst.While)) else loop


def _program(command: cst.BaseExpression) -> cst.CSTNode | None:
    """The part of a command that names the program: the first item of a list or tuple
    display, a plain string, or the text before the first space of an f-string."""
    if isinstance(command, (cst.List, cst.Tuple)) and command.elements:
        element = command.elements[0]
        return None if isinstance(element, cst.StarredElement) else element.value
    if isinstance(command, cst.SimpleString):
        return command
    if isinstance(command, cst.FormattedString) and command.parts:
        head = command.parts[0]
        if isinstance(head, cst.FormattedStringText):
            words = head.value.lstrip().split(" ", 1)
            return head if words[0] and len(words) > 1 else None
    return None
