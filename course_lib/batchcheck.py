"""The batch checks' old home: they live in :mod:`course_lib.selfcheck.batch` now.

``from course_lib.batchcheck import check_batch_forward, check_batch_backward`` keeps working
for notebooks written before the move; new code imports them from :mod:`course_lib.selfcheck`.
"""

from .selfcheck.batch import check_batch_backward, check_batch_forward

__all__ = ["check_batch_forward", "check_batch_backward"]
