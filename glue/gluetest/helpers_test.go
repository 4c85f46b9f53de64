package gluetest_test

import "time"

var time0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
