"""The pipeline's memory ceiling: every photo it accepts is processed within 128 MB.

Each input runs in a fresh interpreter (peak RSS only ever grows within a process) that
first loads what the image function holds anyway (boto3, an S3 client), then processes
one file of a fixed corpus this test generates. A ceiling check, not a timing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.photo_corpus import CORPUS, in_fresh_process, write_corpus

LAMBDA_MIB = 128


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("photos"))


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_photo_is_processed_or_refused_within_the_function_memory(
    corpus: dict[str, Path], name: str
) -> None:
    result = in_fresh_process("pipeline", corpus[name])
    assert result["accepted"] is CORPUS[name][1], result
    assert result["peakMiB"] < LAMBDA_MIB, result


def test_the_measurement_sees_a_naive_pipeline_go_over(corpus: dict[str, Path]) -> None:
    # The same measurement catches what the pipeline avoids: a full-size 24 MP decode.
    assert in_fresh_process("naive", corpus["jpeg-24mp"])["peakMiB"] > LAMBDA_MIB
