"""The Odoo models the connector depends on, one module per business area."""

from .account import AccountFiscalPosition, AccountFiscalPositionTax, AccountTax, AccountTaxGroup
from .backorder import ConfirmStockSms, StockBackorderConfirmation, StockBackorderConfirmationLine
from .base import IrModel, IrModelData, ResCompany, ResCountry, ResCountryState, ResCurrency, ResLang
from .delivery import DeliveryCarrier
from .partner import CrmTeam, ResPartner, ResUsers
from .product import ProductCategory, ProductPricelist, ProductProduct, ProductTemplate, UomCategory, UomUom
from .sale import SaleOrder, SaleOrderLine
from .stock import StockLocation, StockMove, StockMoveLine, StockPicking, StockPickingType, StockWarehouse
from .stock_quant import StockQuant

ALL_MODELS = (
    IrModel, IrModelData, ResLang, ResCompany, ResCountry, ResCountryState, ResCurrency, ResPartner, ResUsers, CrmTeam,
    UomCategory, UomUom, ProductCategory, ProductTemplate, ProductProduct, ProductPricelist,
    AccountTaxGroup, AccountTax, AccountFiscalPosition, AccountFiscalPositionTax, DeliveryCarrier,
    SaleOrder, SaleOrderLine,
    StockWarehouse, StockLocation, StockPickingType, StockPicking, StockMove, StockMoveLine, StockQuant,
    StockBackorderConfirmation, StockBackorderConfirmationLine, ConfirmStockSms,
)
