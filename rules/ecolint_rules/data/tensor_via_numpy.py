from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.data._torch import TracksTorchImport

_TENSOR_TYPES = (
    "Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "ByteTensor",
    "CharTensor", "ShortTensor", "IntTensor", "LongTensor", "BoolTensor",
)  # fmt: skip
_CONVERTERS = frozenset(
    {"torch.tensor", "torch.as_tensor", "torch.from_numpy"}
    | {f"torch.{t}" for t in _TENSOR_TYPES}
    | {f"torch.cuda.{t}" for t in _TENSOR_TYPES}
)
_NUMPY_CONSTRUCTORS = frozenset(
    f"numpy.{name}"
    for name in (
        "zeros", "ones", "full", "empty", "eye", "identity", "arange", "linspace",
        "logspace", "tile", "zeros_like", "ones_like", "full_like", "empty_like",
    )
)  # fmt: skip
# numpy constructor → (torch constructor, how many positional arguments carry over).
_TORCH_EQUIVALENTS = {
    "numpy.zeros": ("zeros", (1,)),
    "numpy.ones": ("ones", (1,)),
    "numpy.full": ("full", (2,)),
    "numpy.eye": ("eye", (1, 2)),
    "numpy.identity": ("eye", (1,)),
    "numpy.arange": ("arange", (1, 2, 3)),
    "numpy.linspace": ("linspace", (3,)),
    "numpy.random.rand": ("rand", None),
    "numpy.random.randn": ("randn", None),
    "numpy.random.random": ("rand", (1,)),
    "numpy.random.random_sample": ("rand", (1,)),
}
_SHARED_MESSAGE = (
    "`torch.from_numpy({numpy}(…, dtype=…))` shares the array, so only the host buffer and "
    "its copy to the device are extra; worth building it on the device (the torch "
    "constructor with `dtype=` and `device=`) only if this runs often"
)
_MOVES = frozenset({"to", "cuda"})
# Keywords of `torch.tensor(…)` / `as_tensor(…)` that the torch constructors accept too.
_CARRIED_KEYWORDS = frozenset({"dtype", "device", "requires_grad"})


class TensorViaNumpy(TracksTorchImport, Rule):
    """## What it does
    Flags `torch.tensor`, `torch.as_tensor`, `torch.from_numpy` and the `torch.*Tensor`
    types called on a numpy constructor: `np.zeros`, `ones`, `full`, `empty`, `eye`,
    `identity`, `arange`, `linspace`, `logspace`, `tile`, the `*_like` forms, and
    `np.random.*`.

    `torch.from_numpy(np.empty(shape, dtype=dtype))` (any of those constructors given a
    `dtype=`) is left alone: `from_numpy` shares the array instead of copying it, and the
    dtype is the wanted one, so nothing is built twice. When the result is moved to a
    device at once (`.to(device)`, `.cuda()`), the host buffer and that one copy are
    still extra, which matters only if the line runs often: such a finding is graded low
    confidence (a TensorRT binding buffer allocated once per binding when an engine
    loads is the usual case).

    ## Why is this wasteful?
    The data is built twice: numpy allocates and fills an array (in float64 by default),
    then torch copies it into a tensor (`from_numpy` shares it, but keeps float64, which
    doubles the memory and the arithmetic of everything downstream), and a GPU tensor
    needs yet another copy to the device. The torch constructor fills the tensor once,
    in the wanted dtype, on the wanted device.

    ## Example
    ```python
    weights = torch.tensor(np.zeros((512, 512)), dtype=torch.float32)
    ```

    Use instead:
    ```python
    weights = torch.zeros((512, 512), dtype=torch.float32)
    ```

    ## Fix safety
    The fix is unsafe: numpy builds float64 (and int64 for `arange` of integers) where
    torch builds float32 by default, and the random generators differ, so values, dtype
    and seeded sequences may change. It is offered for `torch.tensor`, `as_tensor` and
    `from_numpy` around `zeros`, `ones`, `full`, `eye`, `identity`, `arange`,
    `linspace` (with its count), `random.rand`, `randn`, `random` and `random_sample`
    given positional arguments only; the outer call's `dtype`, `device` and
    `requires_grad` carry over.

    ## Evidence
    `bench/rules/eco508_tensor_via_numpy.py` on a 2-core x86-64 VM, shared with other
    jobs and heavily loaded (CPython 3.11, torch 2.13 CPU build, one thread, numpy 2.4,
    median of 7, 9 and 9 paired runs in three runs):
    - `torch.tensor(np.random.rand(n), dtype=torch.float32)` vs `torch.rand(n)`: 2.64× /
      2.13× / 2.71× at n=100, 1.56× / 6.01× / 1.61× at n=10⁴, 1.08× / 1.65× / 1.72× at
      n=10⁶;
    - `torch.tensor(np.zeros(n), dtype=torch.float32)` vs `torch.zeros(n)`: 1.54× / 1.90×
      / 1.90× at n=100, 54× / 2.3× / 2.1× at n=10⁴ (the first figure an outlier of the
      load), 2.95× / 4.39× / 4.91× at n=10⁶.
    A constant factor of about 1.5–5×, noisy. The saved host-to-device copy of a GPU
    tensor could not be measured: that VM has no GPU.

    Summary: 1.5–4.9× for zeros and 1.1–6× for random values at n=10² to 10⁶ (torch 2.13
    CPU, three runs, loaded 2-core machine); the saved device copy not measured (no GPU).

    ## References
    - creedengo GCI104
    - PyTorch docs, "Tensor creation ops" (`torch.zeros`, `torch.rand`, … take `dtype=`
      and `device=`)
    """

    code = "ECO508"
    name = "tensor-via-numpy"
    message = "`{torch}({numpy}(…))` builds the data in numpy, then copies it; use {better}"
    fix = "unsafe"
    fix_title = "Build the tensor with torch directly"
    impact = "medium"
    VALID = [
        Valid("""
            import torch

            x = torch.zeros((3, 4))
            """),
        Valid("""
            import torch
            import numpy as np

            x = torch.tensor(np.load('x.npy'))
            """),
        Valid("""
            import torch
            import numpy as np

            x = torch.from_numpy(frame.to_numpy())
            """),
        Valid("""
            import torch
            import numpy as np

            x = torch.tensor([1.0, 2.0])
            """),
        Valid("""
            import jax.numpy as np
            import torch

            x = torch.tensor(np.zeros(3))
            """),
        Valid(
            """
            import numpy as np
            import torch

            def buffer(shape, dtype):
                return torch.from_numpy(np.empty(shape, dtype=dtype))
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import numpy as np
            import torch

            w = torch.tensor(np.zeros((512, 512)), dtype=torch.float32)
            """,
            line=4,
            fixed="""
            import numpy as np
            import torch

            w = torch.zeros((512, 512), dtype=torch.float32)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import numpy
            from torch import from_numpy

            noise = from_numpy(numpy.random.randn(8, 3))
            """,
            line=4,
            fixed="""
            import torch
            import numpy
            from torch import from_numpy

            noise = torch.randn(8, 3)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import numpy as np
            import torch as T

            x = T.as_tensor(np.arange(0, 10, 2), device=dev)
            """,
            line=4,
            fixed="""
            import numpy as np
            import torch as T

            x = T.arange(0, 10, 2, device=dev)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import numpy as np
            import torch

            x = torch.FloatTensor(np.zeros(3))
            """,
            line=4,
        ),
        Invalid(
            """
            import numpy as np
            import torch

            x = torch.tensor(np.zeros(3, dtype=np.int8))
            """,
            line=4,
        ),
        Invalid(
            """
            import numpy as np
            import torch

            m = torch.tensor(data=np.eye(4, 4, 1))
            """,
            line=4,
        ),
        Invalid(
            """
            import numpy as np
            import torch

            def load_engine(model, context, device):
                bindings = {}
                for i in range(model.num_bindings):
                    dtype = trt.nptype(model.get_binding_dtype(i))
                    shape = tuple(context.get_binding_shape(i))
                    im = torch.from_numpy(np.empty(shape, dtype=dtype)).to(device)
                    bindings[i] = im
                return bindings
            """,
            line=9,
            confidence="low",
            message=(
                "`torch.from_numpy(np.empty(…, dtype=…))` shares the array, so only the host "
                "buffer and its copy to the device are extra; worth building it on the device "
                "(the torch constructor with `dtype=` and `device=`) only if this runs often"
            ),
        ),
        Invalid(
            """
            import numpy as np
            import torch

            x = torch.from_numpy(np.zeros(n)).cuda()
            """,
            line=4,
            fixed="""
            import numpy as np
            import torch

            x = torch.zeros(n).cuda()
            """,
            unsafe=True,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not self.uses_torch or not node.args:
            return
        converter = self.qualified_name(node)
        if converter not in _CONVERTERS:
            return
        data = next((a for a in node.args if a.keyword is None), None)
        if data is None:
            data = next((a for a in node.args if a.keyword and a.keyword.value == "data"), None)
        if data is None or data.star or not isinstance(data.value, cst.Call):
            return
        source = self.qualified_name(data.value)
        if source is None or not (
            source in _NUMPY_CONSTRUCTORS or source.startswith("numpy.random.")
        ):
            return
        torch_short = converter.rsplit(".", 1)[1]
        numpy_short = "np." + source.removeprefix("numpy.")
        if converter == "torch.from_numpy" and _keyword(data.value, "dtype"):
            # Built once, in the wanted dtype, and shared: nothing is built twice on the
            # host. Only a copy to a device remains, once per call.
            if self._moved_to_device(node):
                self.report(node, _SHARED_MESSAGE.format(numpy=numpy_short), confidence="low")
            return
        replacement = self._replacement(node, data, converter, source)
        better = (
            f"`torch.{_TORCH_EQUIVALENTS[source][0]}(…)`"  # the function the fix calls
            if replacement is not None
            else "the torch constructor with `dtype=` and `device=`"
        )
        message = self.message.format(
            torch=f"torch.{torch_short}", numpy=numpy_short, better=better
        )
        if replacement is None:
            self.report(node, message)
        else:
            self.report(
                node,
                message,
                replacement=replacement,
                unsafe=True,
                fix_imports=self._torch_import(),
            )

    def _replacement(
        self, node: cst.Call, data: cst.Arg, converter: str, source: str
    ) -> cst.Call | None:
        equivalent = _TORCH_EQUIVALENTS.get(source)
        if equivalent is None or converter not in (
            "torch.tensor",
            "torch.as_tensor",
            "torch.from_numpy",
        ):
            return None
        torch_function, arities = equivalent
        inner = data.value
        if not isinstance(inner, cst.Call) or any(
            a.keyword is not None or a.star for a in inner.args
        ):
            return None
        if arities is not None and len(inner.args) not in arities:
            return None
        others = [a for a in node.args if a is not data]
        if any(a.keyword is None or a.keyword.value not in _CARRIED_KEYWORDS for a in others):
            return None
        new_args = [*inner.args, *others]
        if new_args:
            new_args[-1] = new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            new_args[:-1] = [
                a
                if isinstance(a.comma, cst.Comma)
                else a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for a in new_args[:-1]
            ]
        func = node.func
        torch_module: cst.BaseExpression
        if isinstance(func, cst.Attribute):
            torch_module = func.value
        else:
            torch_module = cst.Name(self.imports.local_name_for("torch") or "torch")
        return cst.Call(
            func=cst.Attribute(torch_module, cst.Name(torch_function)),
            args=new_args,
            lpar=node.lpar,
            rpar=node.rpar,
        )

    def _moved_to_device(self, node: cst.Call) -> bool:
        """``torch.from_numpy(…).to(…)`` or ``.cuda()``."""
        above = self.ancestors(node)
        return (
            len(above) > 1
            and isinstance(above[0], cst.Attribute)
            and above[0].attr.value in _MOVES
            and isinstance(above[1], cst.Call)
        )

    def _torch_import(self) -> list[str]:
        return [] if self.imports.local_name_for("torch") else ["torch"]


def _keyword(call: cst.Call, name: str) -> bool:
    """Whether ``call`` passes keyword argument ``name``."""
    return any(arg.keyword is not None and arg.keyword.value == name for arg in call.args)
