from .chain import ChainSegment, ChainStage, Honour, InvestmentStage
from .enterprises import DevelopmentStage, Enterprise, OwnershipKind, Product, ProductKind, SizeBand
from .facts import ApprovalKind, EnterpriseFact, FactKind
from .figures import FigureKind, StatedFigure
from .institutions import (
    Fund,
    FundKind,
    Hospital,
    HospitalGrade,
    ResearchInstitution,
    ResearchInstitutionKind,
    ServicePlatform,
)
from .projects import ClinicalProject, ClinicalStage, SignedProject

__all__ = [
    "ApprovalKind",
    "EnterpriseFact",
    "FactKind",
    "FigureKind",
    "StatedFigure",
    "ChainSegment",
    "ChainStage",
    "ClinicalProject",
    "ClinicalStage",
    "DevelopmentStage",
    "Enterprise",
    "Fund",
    "FundKind",
    "Honour",
    "Hospital",
    "HospitalGrade",
    "InvestmentStage",
    "OwnershipKind",
    "Product",
    "ProductKind",
    "ResearchInstitution",
    "ResearchInstitutionKind",
    "ServicePlatform",
    "SignedProject",
    "SizeBand",
]
