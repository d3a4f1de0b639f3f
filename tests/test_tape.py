"""GradientTape: context rules, watching, gradient() arguments, persistence, stop_recording,
reset, and the tapeflow choices where TF misbehaves (spec §1–§5)."""

import collections
import inspect
import logging
import re
import threading

import numpy as np
import pytest

import tapeflow as tf


def value(t):
    """Plain Python values of a gradient result (a tensor, None, or a list/tuple of them)."""
    if isinstance(t, (list, tuple)):
        return type(t)(value(item) for item in t)
    if t is None:
        return None
    result = t.numpy()
    return result if isinstance(result, bytes) else result.tolist()


# -- construction and context (§1) ----------------------------------------------------------------
def test_public_surface_is_tfs():
    assert tf.GradientTape is tf.autodiff.GradientTape
    public = [m for m in dir(tf.GradientTape) if not m.startswith("_")]
    assert public == [
        "batch_jacobian",
        "gradient",
        "jacobian",
        "reset",
        "stop_recording",
        "watch",
        "watched_variables",
    ]
    assert str(inspect.signature(tf.GradientTape.gradient)) == (
        "(self, target, sources, output_gradients=None, "
        "unconnected_gradients=<UnconnectedGradients.NONE: 'none'>)"
    )
    t = tf.GradientTape(True, False)
    assert (t._persistent, t._watch_accessed_variables, t._recording, t._tape) == (
        True,
        False,
        False,
        None,
    )


def test_reentering_an_active_tape_is_an_error():
    t = tf.GradientTape()
    with t:
        with pytest.raises(ValueError, match="Tape is still recording, This can happen"):
            t.__enter__()


def test_reentering_an_exited_tape_continues_the_recording():
    x = tf.constant(3.0)
    t = tf.GradientTape()
    with t:
        t.watch(x)
        y = x * x
    z_outside = y * x  # not recorded
    with t:
        z = y * x
    assert value(t.gradient(z, x)) == 27.0
    del z_outside


def test_exit_is_safe_twice_and_after_exceptions():
    x = tf.constant(3.0)
    t = tf.GradientTape()
    with pytest.raises(KeyError):
        with t:
            t.watch(x)
            y = x * x
            raise KeyError("inner")
    t.__exit__(None, None, None)
    assert not t._recording and value(t.gradient(y, x)) == 6.0


def test_never_entered_tape():
    t = tf.GradientTape(persistent=True)
    with pytest.raises(RuntimeError, match="can only be used to compute one set of gradients"):
        t.gradient(tf.constant(1.0), tf.constant(1.0))
    with pytest.raises(RuntimeError, match="enter it"):  # [tapeflow choice] TF: AttributeError
        t.watch(tf.constant(1.0))
    with pytest.raises(ValueError, match="Tape is not recording."):
        t.reset()
    with pytest.raises(RuntimeError, match="Trying to stop recording a tape which is not"):
        with t.stop_recording():
            pass
    assert t.watched_variables() == ()


def test_each_tape_records_only_what_it_tracks():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            y = x * x
    assert inner.gradient(y, x) is None and value(outer.gradient(y, x)) == 6.0


def test_overlapping_tapes_exit_in_any_order():
    x = tf.constant(2.0)
    a, b = tf.GradientTape(), tf.GradientTape()
    a.__enter__()
    a.watch(x)
    b.__enter__()
    b.watch(x)
    z = x * x * x
    a.__exit__(None, None, None)
    w = x * 4
    b.__exit__(None, None, None)
    assert value(a.gradient(z, x)) == 12.0 and value(b.gradient(w, x)) == 4.0


def test_watching_after_computing_does_not_record_retroactively():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        y = x * x
        t.watch(x)
        z = x * y
    assert value(t.gradient(z, x)) == 9.0


def test_watch_on_exited_tape_is_honoured():
    # [tapeflow choice] TF drops this watch when no other tape is active
    x = tf.constant(2.0)
    t = tf.GradientTape()
    with t:
        pass
    t.watch(x)
    with t:
        y = x * x
    assert value(t.gradient(y, x)) == 4.0


def test_tapes_are_thread_local():
    x = tf.constant(2.0)
    results = {}
    with tf.GradientTape() as t:
        t.watch(x)
        worker = threading.Thread(target=lambda: results.setdefault("y", x * x))
        worker.start()
        worker.join()
    assert t.gradient(results["y"], x) is None


# -- watch (§2) ----------------------------------------------------------------------------------
def test_watch_nested_structures():
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch({"a": a, "bc": (b, [c])})
        y = a * b * c
    g = t.gradient(y, {"a": a, "bc": (b, [c])})
    assert value(g["a"]) == 6.0 and value(g["bc"][0]) == 3.0 and value(g["bc"][1][0]) == 2.0


@pytest.mark.parametrize(
    "bad, shown",
    [
        (3.0, "3.0 of type 'float'"),
        (None, "None of type 'NoneType'"),
        (np.array([1.0, 2.0]), "[1. 2.] of type"),
    ],
)
def test_watch_rejects_non_tensors_with_tf_message(bad, shown):
    with tf.GradientTape() as t:
        with pytest.raises(ValueError, match="not tf.Tensor or tf.Variable or ExtensionType"):
            t.watch(bad)
        with pytest.raises(ValueError, match=re.escape(f"Passed in object {shown}")):
            t.watch([bad])


def test_watch_validates_everything_before_watching_anything():
    a = tf.constant(1.0)
    with tf.GradientTape() as t:
        with pytest.raises(ValueError):
            t.watch([a, 2.0])
        y = a * a
    assert t.gradient(y, a) is None  # [tapeflow choice] TF had watched `a`


def test_watching_integers_warns_at_most_five_times_per_call_site(caplog):
    caplog.set_level(logging.WARNING, logger="tapeflow")
    for _ in range(7):
        with tf.GradientTape() as t:
            t.watch(tf.constant(3))
    messages = [r.getMessage() for r in caplog.records]
    assert (
        messages
        == ["The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32"] * 5
    )


def test_integer_sources_get_none_or_their_seed():
    x = tf.constant(3)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
    assert t.gradient(y, x) is None
    assert (
        repr(t.gradient(y, x, unconnected_gradients="zero"))
        == "<tf.Tensor: shape=(), dtype=int32, numpy=0>"
    )
    assert repr(t.gradient(x, x)) == "<tf.Tensor: shape=(), dtype=int32, numpy=1>"
    assert t.gradient(tf.constant("s"), tf.constant("s")) is None


# -- gradient() arguments (§4)
def test_targets_are_summed_and_sources_keep_their_structure():
    x, v = tf.constant(3.0), tf.Variable(2.0)
    P = collections.namedtuple("P", "a b")
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * v
        y2 = 2 * x
    assert value(t.gradient([y, y2], x)) == 4.0
    g = t.gradient(y, {"z": [x, (v,)], "a": x})
    assert list(g) == ["z", "a"] and value(g["z"][1][0]) == 3.0
    assert isinstance(t.gradient(y, P(x, v)), P)
    assert t.gradient(y, []) == [] and t.gradient(y, ()) == () and t.gradient(y, {}) == {}
    assert t.gradient([], x) is None


def test_repeated_sources_get_the_same_tensor():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    g = t.gradient(y, [x, x])
    assert g[0] is g[1] and value(g[0]) == 6.0


def test_target_that_is_a_source_receives_its_seed():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * 3
    assert value(t.gradient([y, x], [y, x])) == [[1.0, 1.0], [4.0, 4.0]]
    assert value(t.gradient(x, x, output_gradients=tf.constant([5.0, 6.0]))) == [5.0, 6.0]


def test_intermediates_as_sources_keep_their_history():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.watch(y)
        z = y * x
    assert value(t.gradient(z, [x, y])) == [27.0, 3.0]


@pytest.mark.parametrize("mode", ["zero", tf.UnconnectedGradients.ZERO])
def test_unconnected_zero_takes_source_shape_and_dtype(mode):
    x = tf.constant([1.0, 2.0])
    z = tf.constant([[1.0], [2.0]], tf.float64)
    with tf.GradientTape(persistent=True) as t:
        t.watch([x, z])
        y = x * 2
    assert t.gradient(y, z) is None
    zeros = t.gradient(y, z, unconnected_gradients=mode)
    assert zeros.dtype is tf.float64 and zeros.shape == (2, 1)
    assert value(t.gradient(y, tf.constant("abc"), unconnected_gradients="zero")) == b""


@pytest.mark.parametrize("bad", ["ZERO", "zeros", None, 0, "None"])
def test_bad_unconnected_gradients_value_does_not_consume_the_tape(bad):
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    with pytest.raises(ValueError, match=f"Unknown value for unconnected_gradients: {bad!r}"):
        t.gradient(y, x, unconnected_gradients=bad)
    assert value(t.gradient(y, x)) == 6.0


@pytest.mark.parametrize("target", [3.0, np.array(3.0), [None]])
def test_non_tensor_targets_are_type_errors(target):
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    with pytest.raises(TypeError, match="target"):  # [tapeflow choice]
        t.gradient(target, x)
    assert value(t.gradient(y, x)) == 6.0  # not consumed


def test_none_target_has_tfs_message():
    with tf.GradientTape() as t:
        pass
    with pytest.raises(TypeError, match="Argument `target` should be a list or nested structure"):
        t.gradient(None, tf.constant(1.0))


@pytest.mark.parametrize("source", [3.0, None, [tf.constant(1.0), None], np.array(3.0)])
def test_non_tensor_sources_are_type_errors(source):
    with tf.GradientTape() as t:
        y = tf.constant(1.0)
    with pytest.raises(TypeError, match="source"):  # [tapeflow choice]
        t.gradient(y, source)


# -- output_gradients (§4.6)
def _squares():
    x = tf.constant([1.0, 2.0])
    t = tf.GradientTape(persistent=True)
    with t:
        t.watch(x)
        y = x * x
    return t, x, y


def test_output_gradients_seed_the_targets():
    t, x, y = _squares()
    assert value(t.gradient(y, x, output_gradients=tf.constant([1.0, 10.0]))) == [2.0, 40.0]
    assert value(t.gradient(y, x, output_gradients=tf.constant(3.0))) == [6.0, 12.0]
    assert value(t.gradient(y, x, output_gradients=tf.constant([3.0]))) == [6.0, 12.0]
    assert value(t.gradient(y, x, output_gradients=np.array([1.0, 2.0]))) == [2.0, 8.0]


def test_python_list_seed_for_one_vector_target_is_one_seed():
    t, x, y = _squares()  # [tapeflow choice] TF splits the list and uses only its first entry
    assert value(t.gradient(y, x, output_gradients=[1.0, 10.0])) == [2.0, 40.0]
    with pytest.raises(ValueError, match=r"output_gradients\[0\] has shape \(1, 2\)"):
        t.gradient(y, x, output_gradients=[[1.0, 10.0]])


def test_seed_shape_and_dtype_are_checked():
    t, x, y = _squares()
    with pytest.raises(ValueError, match=r"has shape \(3,\), but target 0 has shape \(2,\)"):
        t.gradient(y, x, output_gradients=tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="has dtype float64, but target 0"):
        t.gradient(y, x, output_gradients=tf.constant([1.0, 2.0], tf.float64))


def test_seed_lists_follow_the_target_structure():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y1, y2 = x * x, x * x * x
        d = {"a": x * x, "b": x * x * x}
        linear = x * 1.0
    assert value(t.gradient([y1, y2], x, output_gradients=[tf.constant(2.0)])) == 39.0
    assert value(t.gradient([y1], x, output_gradients=[1.0, 2.0])) == 6.0
    assert value(t.gradient(d, x, output_gradients={"b": 1.0, "a": 0.0})) == 27.0
    # [tapeflow choice] None means "ones" (TF documents it, then fails)
    assert value(t.gradient([y1, y2], x, output_gradients=[None, tf.constant(2.0)])) == 60.0
    assert value(t.gradient(linear, x, output_gradients=tf.Variable(5.0))) == 5.0


# -- non-persistent and persistent use (§4.7, §4.8)
def test_non_persistent_tape_gives_one_set_of_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    t.gradient(y, x)
    with pytest.raises(RuntimeError, match="can only be used to compute one set of gradients"):
        t.gradient(y, x)
    with t:  # entering again starts a fresh recording
        t.watch(x)
        y = x * x * x
    assert value(t.gradient(y, x)) == 27.0


def test_failed_backward_pass_releases_a_non_persistent_tape_cleanly():
    @tf.custom_gradient
    def bad(x):
        def grad(dy):
            raise KeyError("from grad")

        return x * 1.0, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = bad(x)
    with pytest.raises(KeyError):
        t.gradient(y, x)
    with pytest.raises(RuntimeError, match="one set of gradients"):  # [tapeflow choice]
        t.gradient(y, x)


def test_gradient_inside_a_non_persistent_context_stops_recording():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        g = t.gradient(y, x)
        assert not t._recording
        with pytest.raises(ValueError, match="Tape is not recording."):
            t.reset()
    assert value(g) == 6.0


def test_gradient_inside_a_persistent_context_is_recorded_and_warns_once_per_site(caplog):
    caplog.set_level(logging.WARNING, logger="tapeflow")
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        for _ in range(3):
            g = t.gradient(y, x)
    assert value(t.gradient(g, x)) == 2.0
    assert len(caplog.records) == 1
    assert (
        caplog.records[0].getMessage().startswith("Calling GradientTape.gradient on a persistent")
    )


def test_persistent_tape_answers_many_times():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        z = y * y
    assert [value(t.gradient(y, x)), value(t.gradient(z, x)), value(t.gradient(z, y))] == [
        6.0,
        108.0,
        18.0,
    ]


# -- stop_recording and reset (§5)
def test_stop_recording_pauses_only_this_tape():
    x = tf.constant(4.0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(x)
            with inner.stop_recording():
                y = x * x
    assert inner.gradient(y, x) is None and value(outer.gradient(y, x)) == 8.0


def test_stop_recording_errors():
    t = tf.GradientTape()
    with t:
        pass
    with pytest.raises(ValueError, match="Tape is not recording."):
        with t.stop_recording():
            pass
    with t:
        with t.stop_recording():
            with pytest.raises(ValueError, match="Tape is not recording."):
                with t.stop_recording():
                    pass


def test_reset_forgets_records_and_watches():
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.reset()
        t.watch(x)
        z = y * x
    assert value(t.gradient([y, z], x)) == 9.0


def test_reset_empties_watched_variables():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as t:
        y = v * v
        t.reset()
        assert t.watched_variables() == ()
        z = v * 3
    assert value(t.gradient(z, v)) == 3.0 and t.gradient(y, v) is None


# -- invariants (§15.4)
def test_backprop_invariants():
    x, y = tf.constant(3.0), tf.constant(5.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch([x, y])
        z = y * y
        w = x * x + x * y
    assert value(t.gradient([x, y, z], [x, y])) == [1.0, 11.0]
    assert value(t.gradient(w, [x, x])) == [11.0, 11.0]
    assert value(t.gradient(w, [y, x])) == [3.0, 11.0]
    x1, x2, x3 = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch([x1, x2, x3])
        y = x1 + 2 * x2 + 3 * x3
    assert value(t.gradient(y, [(x1, x2), (x2, x3)])) == [(1.0, 2.0), (2.0, 3.0)]


def test_gradient_keeps_the_source_dtype():
    for dtype in (tf.float16, tf.bfloat16, tf.float64, tf.complex64, tf.complex128):
        x = tf.constant([1.0, 2.0], dtype)
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.reduce_sum(x * x)
        g = t.gradient(y, x)
        assert g.dtype is dtype and value(g) == [2.0, 4.0]


def test_complex_gradient_convention():
    z = tf.constant(1 + 2j, tf.complex64)
    with tf.GradientTape(persistent=True) as t:
        t.watch(z)
        y1 = z * z
        y2 = tf.abs(z) ** 2
    assert complex(t.gradient(y1, z)) == 2 - 4j
    assert complex(t.gradient(y2, z)) == pytest.approx(2 + 4j)


def test_logger_prints_tf_format_when_logging_is_not_configured(capfd):
    import subprocess
    import sys

    code = "import tapeflow as tf\nwith tf.GradientTape() as t:\n    t.watch(tf.constant(1))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr == (
        "WARNING:tapeflow:The dtype of the watched tensor must be floating "
        "(e.g. tf.float32), got tf.int32\n"
    )


def test_contributions_are_summed_in_tfs_order():
    # TF visits ready ops first in, first out and adds contributions as they arrive:
    # here -1e8 and 1e8 meet first, so the 1 survives float32 rounding (not 0)
    a = tf.constant([1.0])
    with tf.GradientTape() as t:
        t.watch(a)
        y = a * 1e8 + a * 1 + a * -1e8
    assert value(t.gradient(y, a)) == [1.0]


def test_indexed_slices_contributions_concatenate_in_tfs_order():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        y = tf.reduce_sum(tf.gather(v, [0, 1])) + tf.reduce_sum(tf.gather(v, [1]) * 5)
    g = t.gradient(y, v)
    assert value(g.indices) == [0, 1, 1] and value(g.values) == [1.0, 1.0, 5.0]
