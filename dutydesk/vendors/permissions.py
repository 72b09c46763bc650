"""Permission codes of the vendors (granted by posts in the catalogue YAML).

- ``vendors.view``: see the vendors, their evaluations and the vendor report.
- ``vendors.manage``: keep the vendor list and say which posts supervise each vendor
  (seeds/000_d44081c6db2527f0.txt:386 篇18 一、3.0 外包单位的选聘、计划安排、质量监督、考核以及费用呈报).
- ``vendors.evaluate``: evaluate the vendors one's post supervises, monthly (:409 1.2 对外包单位的服务质量进行考评;
  :426 2.2; :437 3.2 月度考评; :519 10.2 每月…进行考评; :527 11.2 定期对绿化服务供应商的服务质量进行考评; :598 17.2 对外包
  专项服务项目进行验收及考评). The service also checks that the post is one that supervises the vendor."""
from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "vendors.view": _("Vendors: see the vendors, their evaluations and the vendor report"),
    "vendors.manage": _("Vendors: keep the vendor list and their supervising posts"),
    "vendors.evaluate": _("Vendors: evaluate the vendors one's post supervises each month"),
}
