"""北京市就业工作领导小组办公室《稳就业专项行动实施方案》（京就办发〔2022〕1号） — key `beijing`.

Municipal: applies in every Beijing district. Clauses 1–30 under 二、具体任务和举措. Most subsidies the
document names are the city's standing policies whose amounts it does not set (`amount: referenced`,
NaN amounts); it sets two amounts itself: 一次性扩岗补助 1500 (beijing/5, to the end of 2022) and
一次性求职创业补贴 1000 (beijing/8).
"""
