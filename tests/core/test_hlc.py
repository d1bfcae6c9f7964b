from hypothesis import given
from hypothesis import strategies as st

from commander.core.hlc import ZERO, HlcStamp, receive, tick

walls = st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=50)


@given(walls)
def test_tick_never_runs_backwards_even_when_the_wall_clock_does(wall_times: list[int]) -> None:
    last = ZERO
    for wall in wall_times:
        nxt = tick(last, wall)
        assert nxt > last
        assert nxt.encode() > last.encode()  # the stored string sorts like the stamp
        assert nxt.wall_ms >= wall
        last = nxt


@given(
    st.integers(0, 10**13),
    st.integers(0, 999),
    st.integers(0, 10**13),
    st.integers(0, 999),
    st.integers(0, 10**13),
)
def test_receive_is_after_both_the_local_and_the_remote_stamp(
    lw: int, lc: int, rw: int, rc: int, wall: int
) -> None:
    local, remote = HlcStamp(lw, lc), HlcStamp(rw, rc)
    after = receive(local, remote, wall)
    assert after > local
    assert after > remote


def test_encoding_round_trips() -> None:
    stamp = HlcStamp(1_795_857_666_092, 42)
    assert HlcStamp.decode(stamp.encode()) == stamp
    assert str(stamp) == "001795857666092.000042"
