"""杭州市滨江区人民政府关于推进高质量就业工作的意见（征求意见稿） — key `binjiang`.

File 004_fcbdd76fb75b13ff.txt: clauses （一）–（十二） and 五、附则. One folder per clause with something
countable (`c01_service_platforms/` … `c12_high_skilled/`: clause.yaml, rules.py, parameters/ as
`binjiang.cNN`, tests.yaml, example.json); the header in document.yaml, 三 and 附则 in qualitative.yaml,
本区户籍大学生 in definitions.yaml, conditions and helpers shared by several clauses in common.py.

The draft leaves the day of entry into force blank (“本意见自2023年 月 日起施行”): the parameter
`binjiang.effective_date` holds a documented, unconfirmed default (2023-01-01), read by the condition
`binjiang_in_force` of every executable measure and by the event-date windows (see `common.py`).
"""
