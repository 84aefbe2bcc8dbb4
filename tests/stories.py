"""Short, distinct stories for tests that need several pages that are NOT duplicates of
each other (dedup would rightly collapse "第二篇" + the same text). Written for the tests."""

STORIES = (
    "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验。",
    "本报讯（记者叶小钟）广州地铁11号线建设项目推行产业工人卡，实现工资发放信息化管理。",
    "本报讯 河北大城县推进信访与工会工作联姻，连续5年实现基层企业职工零上访。",
    "8月26日，中铁电气化局铁路工程公司举办职工趣味运动会，15家代表队近百名队员参赛。",
    "贵阳市总工会积极协助种植场解决道路硬化、蓄水池建设等问题，迅速落实扶持帮扶资金。",
    "呼和浩特市总工会争取党政支持，财政对困难职工帮扶资金的投入逐年增加，纳入财政预算。",
)
