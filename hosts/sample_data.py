"""Synthetic job postings for demos, tests and benchmarks.

Everything here is invented for jobforge: the companies are fictional, and
titles, cities, salaries, employment types and descriptions are combined
at random from the vocabularies below, so the output looks like a real
multi-board export (varied salary notations, remote and hybrid locations,
plain-text and HTML descriptions, a few reposted jobs) without copying any
real posting. The output is deterministic for a given ``(count, seed, now)``.

Column names are the ``file`` source defaults, so a written file ingests
with no configuration::

    jobforge sample-data postings.jsonl && jobforge ingest file --option path=postings.jsonl
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

__all__ = ["generate_postings", "write_sample_file"]

REPOST_SHARE = 0.03
"""Share of postings that repeat an earlier job under a new id and URL."""

_MIN_WORDS = 150
_MAX_WORDS = 350
_WINDOW_SECONDS = 60 * 24 * 3600


class _Role(NamedTuple):
    title: str
    family: str
    ladder: str
    """``tech``, ``manager``, ``entry`` or ``clinical``: which seniority variants exist."""
    band: tuple[int, int]
    """Mid-level annual base salary in US dollars."""
    skills: tuple[str, ...]
    duties: tuple[str, ...]


class _Family(NamedTuple):
    department: str
    duties: tuple[str, ...]
    requirements: tuple[str, ...]
    """Templates with ``{years}``, ``{s1}``, ``{s2}``, ``{s3}`` placeholders."""
    hourly: float
    """Chance that a salary is quoted per hour."""


class _Company(NamedTuple):
    name: str
    industry: str
    what: str
    hq: str


class _City(NamedTuple):
    text: str
    country: str
    factor: float
    """Local salary level relative to the US national band, in local currency units."""


_FAMILIES: dict[str, _Family] = {
    "engineering": _Family(
        "Engineering",
        (
            "Review pull requests and give thoughtful, timely feedback to teammates.",
            "Write automated tests and keep our CI pipeline fast and green.",
            "Take part in a fair, well-compensated on-call rotation.",
            "Break down large projects into small, shippable increments.",
            "Write short design documents and discuss trade-offs with the team.",
        ),
        (
            "{years}+ years of experience building and running production software.",
            "Strong working knowledge of {s1} and {s2}.",
            "Hands-on experience with {s3}.",
            "You care about readable code, good tests and useful documentation.",
            "Comfortable owning a feature from design through monitoring in production.",
            "A degree in computer science or equivalent practical experience.",
        ),
        0.05,
    ),
    "data": _Family(
        "Data",
        (
            "Partner with product and business teams to turn vague questions into clear analyses.",
            "Document datasets, metrics and assumptions so others can build on your work.",
            "Present findings to stakeholders in plain language.",
            "Help maintain data quality checks and alerting.",
        ),
        (
            "{years}+ years of experience in a data-focused role.",
            "Fluent in {s1} and {s2}.",
            "Experience with {s3} in a production setting.",
            "A solid grounding in statistics and experimental design.",
            "You explain technical results clearly to non-technical audiences.",
        ),
        0.04,
    ),
    "product": _Family(
        "Product",
        (
            "Talk to customers every week and bring their problems back to the team.",
            "Write clear problem statements and acceptance criteria.",
            "Align engineering, design, sales and support around the roadmap.",
            "Define success metrics and follow up on them after launch.",
        ),
        (
            "{years}+ years of product management or closely related experience.",
            "Experience with {s1} and {s2}.",
            "Comfortable working with data; {s3} is a plus.",
            "Excellent written communication and a habit of writing things down.",
            "You have shipped products that customers rely on.",
        ),
        0.02,
    ),
    "design": _Family(
        "Design",
        (
            "Share work early and often in design critiques.",
            "Contribute to and help evolve our design system.",
            "Work closely with engineers during implementation to get the details right.",
            "Test ideas with real users before and after launch.",
        ),
        (
            "{years}+ years of professional design experience.",
            "An online portfolio showing your process, not only final screens.",
            "Expert in {s1}; experience with {s2} and {s3}.",
            "Strong visual and interaction design skills.",
            "You can explain design decisions to a mixed audience.",
        ),
        0.08,
    ),
    "marketing": _Family(
        "Marketing",
        (
            "Plan and run campaigns from brief to post-launch report.",
            "Work with sales to turn campaigns into qualified pipeline.",
            "Track performance and share weekly results with the team.",
            "Manage a budget and a small group of agencies and freelancers.",
        ),
        (
            "{years}+ years of marketing experience, ideally in {industry}.",
            "Hands-on experience with {s1} and {s2}.",
            "Familiarity with {s3}.",
            "An excellent writer with an eye for detail.",
            "Data-driven: you set targets and measure against them.",
        ),
        0.06,
    ),
    "sales": _Family(
        "Sales",
        (
            "Keep the CRM accurate and forecasts honest.",
            "Work with marketing on campaigns for your territory.",
            "Share customer feedback with product and engineering.",
            "Represent the company at industry events and trade shows.",
        ),
        (
            "{years}+ years of B2B sales or account management experience.",
            "A track record of meeting or beating quota.",
            "Experience with {s1} and {s2}.",
            "Confident presenting to executives; {s3} experience is a plus.",
            "Willingness to travel up to 25% of the time.",
        ),
        0.05,
    ),
    "support": _Family(
        "Customer Support",
        (
            "Write and update help-center articles based on common questions.",
            "Spot trends in tickets and flag them to product and engineering.",
            "Meet response-time goals while keeping quality high.",
            "Help onboard and mentor new team members.",
        ),
        (
            "{years}+ years in customer support or a customer-facing role.",
            "Experience with {s1} and {s2}.",
            "Patient, empathetic and clear in writing.",
            "Comfortable with {s3}.",
            "Available for occasional weekend shifts on a rotating schedule.",
        ),
        0.45,
    ),
    "finance": _Family(
        "Finance",
        (
            "Support the monthly and quarterly close.",
            "Improve processes and controls as the company grows.",
            "Prepare schedules and documentation for the external auditors.",
            "Answer questions from budget owners across the business.",
        ),
        (
            "{years}+ years of experience in accounting or finance.",
            "Advanced skills in {s1}; experience with {s2}.",
            "Knowledge of {s3}.",
            "Meticulous attention to detail and a high standard of accuracy.",
            "A CPA, ACCA, CIMA or similar qualification is a plus.",
        ),
        0.12,
    ),
    "healthcare": _Family(
        "Clinical",
        (
            "Document care accurately and on time in the electronic health record.",
            "Follow infection-control and patient-safety protocols.",
            "Communicate clearly with patients, families and the care team.",
            "Take part in team huddles and quality-improvement projects.",
        ),
        (
            "{years}+ years of clinical experience.",
            "Experience with {s1} and {s2}; familiarity with {s3} is a plus.",
            "A current, unrestricted license or registration for your profession.",
            "Current BLS (Basic Life Support) certification.",
            "Compassionate, calm under pressure and a strong team player.",
        ),
        0.6,
    ),
    "operations": _Family(
        "Operations",
        (
            "Track key metrics and report on them weekly.",
            "Improve processes and write them down so they scale.",
            "Work with vendors and internal teams to solve problems quickly.",
            "Keep health-and-safety and compliance requirements front of mind.",
        ),
        (
            "{years}+ years of experience in operations or a related field.",
            "Proficient with {s1} and {s2}.",
            "Experience with {s3} is a plus.",
            "Highly organised, with a bias for action.",
            "Clear communicator who builds good relationships at every level.",
        ),
        0.3,
    ),
}

_ROLES: tuple[_Role, ...] = (
    # engineering
    _Role(
        "Software Engineer",
        "engineering",
        "tech",
        (115_000, 150_000),
        ("Python", "Go", "PostgreSQL", "Docker", "Kubernetes", "AWS", "REST APIs", "gRPC"),
        (
            "Design, build and operate services that handle millions of requests a day.",
            "Improve the reliability and performance of our core platform.",
            "Collaborate with product managers and designers to shape new features.",
            "Pay down technical debt in a deliberate, measurable way.",
        ),
    ),
    _Role(
        "Backend Engineer",
        "engineering",
        "tech",
        (115_000, 150_000),
        ("Java", "Kotlin", "Spring Boot", "PostgreSQL", "Kafka", "Redis", "AWS", "Terraform"),
        (
            "Build and evolve the APIs that power our web and mobile apps.",
            "Model data and write efficient queries for high-traffic endpoints.",
            "Design event-driven integrations between services.",
            "Own the observability of your services: metrics, logs and traces.",
        ),
    ),
    _Role(
        "Frontend Engineer",
        "engineering",
        "tech",
        (105_000, 140_000),
        ("TypeScript", "React", "Next.js", "CSS", "GraphQL", "Jest", "Playwright", "Accessibility"),
        (
            "Build fast, accessible user interfaces in React and TypeScript.",
            "Turn designs into polished, responsive components for our design system.",
            "Improve page-load performance and Core Web Vitals.",
            "Write end-to-end tests for critical user journeys.",
        ),
    ),
    _Role(
        "Full Stack Developer",
        "engineering",
        "tech",
        (100_000, 140_000),
        ("JavaScript", "TypeScript", "Node.js", "React", "PostgreSQL", "Ruby on Rails", "Docker", "AWS"),
        (
            "Ship features across the stack, from database migrations to UI polish.",
            "Build internal tools that save our operations team hours every week.",
            "Integrate third-party APIs such as payments and messaging providers.",
            "Keep our web application secure, fast and easy to change.",
        ),
    ),
    _Role(
        "iOS Engineer",
        "engineering",
        "tech",
        (115_000, 150_000),
        ("Swift", "SwiftUI", "UIKit", "Xcode", "Core Data", "Combine", "REST APIs", "Fastlane"),
        (
            "Build and maintain our iOS app used by hundreds of thousands of customers.",
            "Adopt SwiftUI across new screens while keeping older UIKit code healthy.",
            "Improve app start-up time, crash-free rate and battery usage.",
            "Work with the backend team on API contracts for mobile.",
        ),
    ),
    _Role(
        "Android Developer",
        "engineering",
        "tech",
        (110_000, 145_000),
        ("Kotlin", "Jetpack Compose", "Android SDK", "Coroutines", "Room", "Gradle", "Firebase", "REST APIs"),
        (
            "Build new features for our Android app in Kotlin and Jetpack Compose.",
            "Improve stability across a wide range of devices and OS versions.",
            "Set up and maintain our mobile release pipeline.",
            "Profile and fix performance problems on low-end devices.",
        ),
    ),
    _Role(
        "DevOps Engineer",
        "engineering",
        "tech",
        (110_000, 145_000),
        ("Terraform", "Kubernetes", "AWS", "Linux", "Bash", "GitHub Actions", "Ansible", "Prometheus"),
        (
            "Automate infrastructure with Terraform and keep environments reproducible.",
            "Run and upgrade our Kubernetes clusters with zero downtime.",
            "Build CI/CD pipelines that let teams deploy many times a day.",
            "Manage cloud costs and capacity planning.",
        ),
    ),
    _Role(
        "Site Reliability Engineer",
        "engineering",
        "tech",
        (125_000, 160_000),
        ("Kubernetes", "Prometheus", "Grafana", "Go", "Python", "Linux", "GCP", "Incident Management"),
        (
            "Define service-level objectives with product teams and help them meet them.",
            "Lead incident response and run blameless post-incident reviews.",
            "Build tooling that removes toil from day-to-day operations.",
            "Improve monitoring, alerting and capacity planning across the platform.",
        ),
    ),
    _Role(
        "Platform Engineer",
        "engineering",
        "tech",
        (120_000, 155_000),
        ("Go", "Kubernetes", "Terraform", "Helm", "AWS", "Service Mesh", "Backstage", "CI/CD"),
        (
            "Build the internal developer platform that every product team uses.",
            "Create paved paths for deploying, configuring and observing services.",
            "Improve build times and developer experience across the company.",
            "Work with security to bake good defaults into the platform.",
        ),
    ),
    _Role(
        "Security Engineer",
        "engineering",
        "tech",
        (125_000, 165_000),
        ("Threat Modeling", "AWS Security", "Python", "SIEM", "OWASP", "Penetration Testing", "IAM", "SOC 2"),
        (
            "Run threat-modeling sessions with product teams.",
            "Own vulnerability management from discovery to fix.",
            "Build detection rules and respond to security alerts.",
            "Support our SOC 2 and ISO 27001 audits with evidence and controls.",
        ),
    ),
    _Role(
        "QA Automation Engineer",
        "engineering",
        "tech",
        (90_000, 120_000),
        ("Selenium", "Playwright", "Cypress", "Python", "Java", "API Testing", "Jenkins", "Test Planning"),
        (
            "Design and maintain automated test suites for web and API layers.",
            "Plan test strategy for new features together with developers.",
            "Track quality metrics and reduce flaky tests.",
            "Run exploratory testing before major releases.",
        ),
    ),
    _Role(
        "Embedded Software Engineer",
        "engineering",
        "tech",
        (110_000, 145_000),
        ("C", "C++", "RTOS", "ARM Cortex-M", "Embedded Linux", "SPI/I2C", "Oscilloscopes", "Python"),
        (
            "Write firmware for battery-powered devices in C and C++.",
            "Bring up new hardware boards together with the electrical engineering team.",
            "Debug timing and power issues with oscilloscopes and logic analysers.",
            "Build over-the-air update support for devices in the field.",
        ),
    ),
    _Role(
        "Cloud Architect",
        "engineering",
        "manager",
        (150_000, 190_000),
        (
            "AWS",
            "Azure",
            "Terraform",
            "Networking",
            "Security Architecture",
            "Cost Optimization",
            "Kubernetes",
        ),
        (
            "Design the target cloud architecture and the migration path to get there.",
            "Set standards for networking, identity and data protection.",
            "Advise teams on trade-offs between managed services and self-hosting.",
            "Review designs and lead architecture decision records.",
        ),
    ),
    _Role(
        "Engineering Manager",
        "engineering",
        "manager",
        (160_000, 200_000),
        (
            "People Management",
            "Hiring",
            "Agile",
            "System Design",
            "Coaching",
            "Roadmapping",
            "Stakeholder Management",
        ),
        (
            "Lead a team of six to eight engineers and help each of them grow.",
            "Hire great engineers and build an inclusive team culture.",
            "Plan the roadmap with product and balance it against technical health.",
            "Run effective one-on-ones, retrospectives and planning sessions.",
        ),
    ),
    _Role(
        "Game Developer",
        "engineering",
        "tech",
        (90_000, 125_000),
        ("C#", "Unity", "C++", "Unreal Engine", "Shaders", "Gameplay Programming", "Git", "Profiling"),
        (
            "Build gameplay systems and tools in Unity and C#.",
            "Prototype new mechanics quickly with designers and artists.",
            "Optimise frame rate and memory on consoles and mobile devices.",
            "Fix bugs reported by QA and the player community.",
        ),
    ),
    # data
    _Role(
        "Data Scientist",
        "data",
        "tech",
        (115_000, 150_000),
        ("Python", "SQL", "pandas", "scikit-learn", "A/B Testing", "Statistics", "Jupyter", "Tableau"),
        (
            "Design and analyse A/B tests for product changes.",
            "Build predictive models for churn, demand and customer lifetime value.",
            "Explore large datasets to find opportunities the business has missed.",
            "Productionise models together with data and machine learning engineers.",
        ),
    ),
    _Role(
        "Data Engineer",
        "data",
        "tech",
        (115_000, 150_000),
        ("Python", "SQL", "Apache Spark", "Airflow", "dbt", "Snowflake", "Kafka", "AWS"),
        (
            "Build and operate batch and streaming data pipelines.",
            "Model data in the warehouse so analysts can self-serve.",
            "Own data reliability: freshness, completeness and lineage.",
            "Integrate new data sources from internal services and third-party APIs.",
        ),
    ),
    _Role(
        "Data Analyst",
        "data",
        "tech",
        (70_000, 95_000),
        ("SQL", "Excel", "Tableau", "Power BI", "Python", "Looker", "Google Analytics", "Statistics"),
        (
            "Build dashboards that teams use every day to run the business.",
            "Answer ad-hoc questions with SQL and clear visualisations.",
            "Define and document core business metrics.",
            "Support planning and forecasting with reliable numbers.",
        ),
    ),
    _Role(
        "Machine Learning Engineer",
        "data",
        "tech",
        (135_000, 175_000),
        ("Python", "PyTorch", "TensorFlow", "MLOps", "Kubernetes", "Feature Stores", "SQL", "Docker"),
        (
            "Train, evaluate and deploy machine learning models to production.",
            "Build pipelines for feature engineering, training and batch inference.",
            "Monitor model performance and data drift after launch.",
            "Reduce inference latency and cost for real-time ranking models.",
        ),
    ),
    _Role(
        "Analytics Engineer",
        "data",
        "tech",
        (105_000, 140_000),
        ("dbt", "SQL", "Snowflake", "BigQuery", "Looker", "Git", "Data Modeling", "Python"),
        (
            "Turn raw data into clean, tested, documented models in dbt.",
            "Own the semantic layer that powers company dashboards.",
            "Set conventions for data modelling and code review.",
            "Work with data engineers on ingestion and with analysts on reporting.",
        ),
    ),
    _Role(
        "Business Intelligence Analyst",
        "data",
        "tech",
        (75_000, 100_000),
        ("Power BI", "SQL", "Excel", "DAX", "SSRS", "Data Warehousing", "Tableau"),
        (
            "Design and maintain Power BI reports for finance, sales and operations.",
            "Gather reporting requirements from business stakeholders.",
            "Automate recurring reports that are built by hand today.",
            "Validate data against source systems and fix discrepancies.",
        ),
    ),
    _Role(
        "NLP Research Scientist",
        "data",
        "tech",
        (150_000, 200_000),
        ("Python", "PyTorch", "Transformers", "NLP", "Information Retrieval", "LLMs", "Experiment Design"),
        (
            "Research and prototype new approaches to language understanding.",
            "Fine-tune and evaluate large language models on domain data.",
            "Publish internal reports and, where possible, papers at top venues.",
            "Turn promising research into features with the product engineering team.",
        ),
    ),
    # product
    _Role(
        "Product Manager",
        "product",
        "tech",
        (120_000, 160_000),
        ("Product Discovery", "Roadmapping", "SQL", "Jira", "User Research", "A/B Testing", "Figma"),
        (
            "Own the roadmap for one product area and the outcomes it drives.",
            "Run discovery with customers to decide what to build next.",
            "Prioritise ruthlessly and explain the reasoning to stakeholders.",
            "Plan launches with marketing, sales and support.",
        ),
    ),
    _Role(
        "Technical Product Manager",
        "product",
        "tech",
        (130_000, 170_000),
        ("APIs", "System Design", "SQL", "Developer Experience", "Jira", "Roadmapping", "Analytics"),
        (
            "Own the roadmap for our public APIs and developer platform.",
            "Work with engineers on technical trade-offs and API design.",
            "Talk to developers to understand their integration pain points.",
            "Write API documentation and change-management plans with the team.",
        ),
    ),
    _Role(
        "Product Owner",
        "product",
        "entry",
        (95_000, 125_000),
        ("Scrum", "Backlog Management", "Jira", "User Stories", "Stakeholder Management", "Agile"),
        (
            "Own and prioritise the team backlog.",
            "Write user stories with clear acceptance criteria.",
            "Run sprint reviews and gather feedback from stakeholders.",
            "Make day-to-day scope decisions with the development team.",
        ),
    ),
    _Role(
        "Technical Program Manager",
        "product",
        "tech",
        (130_000, 165_000),
        ("Program Management", "Risk Management", "Jira", "Agile", "System Design", "Communication"),
        (
            "Coordinate large cross-team programs from kickoff to launch.",
            "Track dependencies, risks and milestones and keep everyone informed.",
            "Improve planning and delivery processes across engineering.",
            "Run launch readiness reviews for major releases.",
        ),
    ),
    # design
    _Role(
        "Product Designer",
        "design",
        "tech",
        (110_000, 145_000),
        (
            "Figma",
            "Prototyping",
            "User Research",
            "Interaction Design",
            "Design Systems",
            "Usability Testing",
        ),
        (
            "Design end-to-end experiences from early concepts to final specs.",
            "Run usability tests and turn findings into design improvements.",
            "Create prototypes that help the team make decisions quickly.",
            "Partner with a product manager and engineers in a cross-functional squad.",
        ),
    ),
    _Role(
        "UX Researcher",
        "design",
        "tech",
        (105_000, 140_000),
        (
            "User Interviews",
            "Usability Testing",
            "Surveys",
            "Dovetail",
            "Research Synthesis",
            "Journey Mapping",
        ),
        (
            "Plan and run interviews, usability studies and surveys.",
            "Synthesise research into insights the whole company can use.",
            "Build a research repository and make past findings easy to find.",
            "Teach product teams to run lightweight research themselves.",
        ),
    ),
    _Role(
        "UI Designer",
        "design",
        "tech",
        (85_000, 115_000),
        ("Figma", "Visual Design", "Typography", "Design Systems", "Iconography", "Motion Design"),
        (
            "Craft polished interfaces for web and mobile.",
            "Maintain and extend the component library in Figma.",
            "Create icons, illustrations and micro-interactions.",
            "Ensure designs meet accessibility contrast and sizing guidelines.",
        ),
    ),
    _Role(
        "Graphic Designer",
        "design",
        "entry",
        (55_000, 75_000),
        ("Adobe Illustrator", "Adobe Photoshop", "InDesign", "Branding", "Typography", "Print Production"),
        (
            "Design marketing materials for print and digital channels.",
            "Keep brand guidelines consistent across everything we publish.",
            "Prepare files for print production and work with suppliers.",
            "Create social media graphics and short animations.",
        ),
    ),
    _Role(
        "Content Designer",
        "design",
        "tech",
        (95_000, 125_000),
        ("UX Writing", "Content Strategy", "Figma", "Style Guides", "Accessibility", "Localization"),
        (
            "Write clear interface copy, error messages and onboarding flows.",
            "Own the product voice and tone guidelines.",
            "Work with localisation to make content work in every language we support.",
            "Test wording with users and measure its impact.",
        ),
    ),
    # marketing
    _Role(
        "Marketing Manager",
        "marketing",
        "manager",
        (95_000, 125_000),
        ("Campaign Management", "HubSpot", "Google Ads", "Budget Management", "Analytics", "Copywriting"),
        (
            "Own the integrated marketing plan for one of our key segments.",
            "Manage a campaign budget and report on return on spend.",
            "Lead a small team of marketing specialists.",
            "Work with product marketing on launches and positioning.",
        ),
    ),
    _Role(
        "Content Marketing Specialist",
        "marketing",
        "entry",
        (60_000, 80_000),
        (
            "Copywriting",
            "SEO",
            "WordPress",
            "Content Strategy",
            "Editing",
            "Social Media",
            "Google Analytics",
        ),
        (
            "Write blog posts, guides and customer stories.",
            "Manage the editorial calendar and freelance writers.",
            "Repurpose long-form content for social and email.",
            "Measure what content drives sign-ups and double down on it.",
        ),
    ),
    _Role(
        "SEO Specialist",
        "marketing",
        "entry",
        (60_000, 85_000),
        (
            "SEO",
            "Google Search Console",
            "Ahrefs",
            "Technical SEO",
            "Keyword Research",
            "HTML",
            "Google Analytics",
        ),
        (
            "Run technical SEO audits and work with engineers on fixes.",
            "Research keywords and brief writers on new content.",
            "Build links through partnerships and digital PR.",
            "Report on organic traffic, rankings and conversions.",
        ),
    ),
    _Role(
        "Growth Marketing Manager",
        "marketing",
        "manager",
        (100_000, 135_000),
        (
            "Paid Acquisition",
            "Google Ads",
            "Meta Ads",
            "Experimentation",
            "SQL",
            "Lifecycle Marketing",
            "Attribution",
        ),
        (
            "Own paid acquisition across search and social channels.",
            "Design experiments across the funnel and scale what works.",
            "Build lifecycle email and in-app campaigns that improve activation.",
            "Improve attribution and marketing reporting with the data team.",
        ),
    ),
    _Role(
        "Social Media Manager",
        "marketing",
        "entry",
        (55_000, 75_000),
        ("Social Media", "Community Management", "Canva", "Content Creation", "Hootsuite", "Video Editing"),
        (
            "Run our social channels and grow an engaged community.",
            "Plan content calendars and create short-form video.",
            "Respond to comments and messages in our brand voice.",
            "Work with creators and influencers on campaigns.",
        ),
    ),
    _Role(
        "Product Marketing Manager",
        "marketing",
        "manager",
        (115_000, 150_000),
        (
            "Positioning",
            "Messaging",
            "Go-to-Market",
            "Competitive Analysis",
            "Sales Enablement",
            "Copywriting",
        ),
        (
            "Own positioning and messaging for our core products.",
            "Plan and run product launches with product and sales.",
            "Build sales enablement materials and competitive battlecards.",
            "Interview customers to understand why they buy.",
        ),
    ),
    _Role(
        "Brand Manager",
        "marketing",
        "manager",
        (90_000, 120_000),
        ("Brand Strategy", "Consumer Insights", "Agency Management", "Market Research", "Budget Management"),
        (
            "Own the brand strategy and make sure every touchpoint reflects it.",
            "Brief and manage creative and media agencies.",
            "Use consumer research to guide campaigns and packaging.",
            "Track brand health and share-of-voice metrics.",
        ),
    ),
    # sales
    _Role(
        "Account Executive",
        "sales",
        "sales",
        (80_000, 110_000),
        ("Salesforce", "Consultative Selling", "Negotiation", "Pipeline Management", "MEDDICC", "Demos"),
        (
            "Run the full sales cycle from first call to signed contract.",
            "Build and manage a healthy pipeline in your territory.",
            "Run tailored product demos for prospects.",
            "Negotiate commercial terms with procurement teams.",
        ),
    ),
    _Role(
        "Sales Development Representative",
        "sales",
        "entry",
        (50_000, 65_000),
        (
            "Prospecting",
            "Cold Calling",
            "Outreach",
            "Salesforce",
            "LinkedIn Sales Navigator",
            "Email Writing",
        ),
        (
            "Research target accounts and find the right contacts.",
            "Book qualified meetings for account executives through calls and email.",
            "Follow up on inbound leads within minutes.",
            "Test new messaging and share what works with the team.",
        ),
    ),
    _Role(
        "Account Manager",
        "sales",
        "entry",
        (65_000, 90_000),
        ("Account Management", "Upselling", "Salesforce", "Relationship Building", "Negotiation"),
        (
            "Own a portfolio of existing customers and grow revenue with them.",
            "Run quarterly business reviews with key accounts.",
            "Handle renewals and contract changes.",
            "Coordinate with support and success to resolve escalations.",
        ),
    ),
    _Role(
        "Solutions Engineer",
        "sales",
        "sales",
        (120_000, 155_000),
        (
            "Technical Demos",
            "APIs",
            "Python",
            "SQL",
            "Solution Architecture",
            "Cloud Platforms",
            "Presentations",
        ),
        (
            "Run technical discovery and tailored demos with prospects.",
            "Design proofs of concept that show our product in the customer's stack.",
            "Answer security questionnaires and technical RFPs.",
            "Feed field insights back to product and engineering.",
        ),
    ),
    _Role(
        "Customer Success Manager",
        "sales",
        "sales",
        (70_000, 95_000),
        (
            "Customer Success",
            "Onboarding",
            "Gainsight",
            "Churn Reduction",
            "Relationship Building",
            "Training",
        ),
        (
            "Onboard new customers and get them to value quickly.",
            "Monitor account health and act early on churn risk.",
            "Run training sessions and webinars for customer teams.",
            "Identify expansion opportunities with account managers.",
        ),
    ),
    _Role(
        "Partnerships Manager",
        "sales",
        "manager",
        (100_000, 135_000),
        ("Partnerships", "Channel Sales", "Negotiation", "Business Development", "Co-marketing"),
        (
            "Recruit and manage technology and reseller partners.",
            "Build joint go-to-market plans and co-marketing campaigns.",
            "Negotiate partner agreements with legal and finance.",
            "Track partner-sourced pipeline and revenue.",
        ),
    ),
    # support
    _Role(
        "Customer Support Specialist",
        "support",
        "entry",
        (40_000, 52_000),
        ("Zendesk", "Customer Service", "Troubleshooting", "Live Chat", "Written Communication", "Intercom"),
        (
            "Answer customer questions by email, chat and phone.",
            "Troubleshoot account and billing issues end to end.",
            "Escalate bugs to engineering with clear reproduction steps.",
            "Keep customers updated until their issue is resolved.",
        ),
    ),
    _Role(
        "Technical Support Engineer",
        "support",
        "entry",
        (65_000, 90_000),
        ("Linux", "SQL", "APIs", "Networking", "Log Analysis", "Jira", "Scripting"),
        (
            "Diagnose complex technical issues reported by customers.",
            "Read logs, query databases and reproduce bugs in test environments.",
            "Write internal runbooks and public troubleshooting guides.",
            "Work with engineering on fixes for high-priority incidents.",
        ),
    ),
    _Role(
        "Support Team Lead",
        "support",
        "manager",
        (60_000, 80_000),
        ("Team Leadership", "Zendesk", "Quality Assurance", "Workforce Planning", "Coaching", "Reporting"),
        (
            "Lead a team of eight support specialists across two shifts.",
            "Coach the team through ticket reviews and one-on-ones.",
            "Plan schedules to cover demand across time zones.",
            "Report on satisfaction, backlog and response times.",
        ),
    ),
    _Role(
        "IT Help Desk Technician",
        "support",
        "entry",
        (42_000, 56_000),
        ("Windows", "macOS", "Active Directory", "Microsoft 365", "Ticketing Systems", "Hardware Setup"),
        (
            "Set up laptops, phones and accounts for new starters.",
            "Resolve hardware, software and access issues for employees.",
            "Keep the asset inventory up to date.",
            "Support meeting rooms and office equipment.",
        ),
    ),
    # finance
    _Role(
        "Financial Analyst",
        "finance",
        "tech",
        (75_000, 100_000),
        ("Excel", "Financial Modeling", "Forecasting", "SQL", "Power BI", "Variance Analysis", "NetSuite"),
        (
            "Build and maintain financial models and forecasts.",
            "Analyse variances against budget and explain the drivers.",
            "Prepare monthly reporting packs for leadership.",
            "Support pricing and investment decisions with analysis.",
        ),
    ),
    _Role(
        "Staff Accountant",
        "finance",
        "entry",
        (60_000, 78_000),
        ("GAAP", "Reconciliations", "Journal Entries", "NetSuite", "Excel", "Accruals", "QuickBooks"),
        (
            "Prepare journal entries, accruals and account reconciliations.",
            "Maintain the fixed asset register and prepaid schedules.",
            "Help with audit requests and year-end close.",
            "Improve month-end checklists and documentation.",
        ),
    ),
    _Role(
        "Financial Controller",
        "finance",
        "manager",
        (120_000, 160_000),
        ("IFRS", "GAAP", "Month-End Close", "Internal Controls", "Audit", "ERP Systems", "Team Leadership"),
        (
            "Own the month-end close and the accuracy of our financial statements.",
            "Design and maintain internal controls.",
            "Lead the annual audit and work with external auditors.",
            "Manage a team of accountants and develop their skills.",
        ),
    ),
    _Role(
        "Payroll Specialist",
        "finance",
        "entry",
        (52_000, 68_000),
        ("Payroll", "ADP", "Workday", "Tax Compliance", "Excel", "Benefits Administration"),
        (
            "Run multi-state payroll accurately and on time.",
            "Process new hires, terminations and compensation changes.",
            "Reconcile payroll to the general ledger.",
            "Answer employee payroll and tax questions.",
        ),
    ),
    _Role(
        "FP&A Manager",
        "finance",
        "manager",
        (125_000, 160_000),
        ("FP&A", "Financial Modeling", "Budgeting", "Anaplan", "Excel", "SQL", "Business Partnering"),
        (
            "Lead the annual budget and quarterly reforecast.",
            "Partner with department heads on headcount and spend plans.",
            "Build the long-range plan with the CFO.",
            "Present financial insights to the executive team.",
        ),
    ),
    _Role(
        "Tax Associate",
        "finance",
        "entry",
        (60_000, 80_000),
        ("Tax Compliance", "Corporate Tax", "Excel", "Sales Tax", "Research", "CCH Axcess"),
        (
            "Prepare corporate and partnership tax returns.",
            "Research tax questions and document conclusions.",
            "Support sales-tax and VAT compliance.",
            "Work with advisers on transfer pricing documentation.",
        ),
    ),
    _Role(
        "Accounts Payable Clerk",
        "finance",
        "entry",
        (40_000, 50_000),
        ("Accounts Payable", "Invoice Processing", "Excel", "SAP", "Vendor Management", "Data Entry"),
        (
            "Process supplier invoices and expense claims accurately.",
            "Match invoices to purchase orders and resolve differences.",
            "Prepare weekly payment runs.",
            "Answer supplier queries by email and phone.",
        ),
    ),
    # healthcare
    _Role(
        "Registered Nurse",
        "healthcare",
        "clinical",
        (78_000, 98_000),
        (
            "BLS",
            "ACLS",
            "Epic",
            "Patient Assessment",
            "Medication Administration",
            "IV Therapy",
            "Care Planning",
        ),
        (
            "Provide direct patient care on a busy medical-surgical unit.",
            "Assess patients, administer medications and monitor responses.",
            "Educate patients and families about treatment and discharge plans.",
            "Coordinate with physicians, therapists and case managers.",
        ),
    ),
    _Role(
        "Nurse Practitioner",
        "healthcare",
        "clinical",
        (115_000, 140_000),
        (
            "BLS",
            "Diagnosis",
            "Prescribing",
            "Epic",
            "Primary Care",
            "Chronic Disease Management",
            "Telehealth",
        ),
        (
            "See patients of all ages for primary and urgent care.",
            "Diagnose conditions, order tests and prescribe treatment.",
            "Manage chronic conditions such as diabetes and hypertension.",
            "Provide telehealth visits two days a week.",
        ),
    ),
    _Role(
        "Medical Assistant",
        "healthcare",
        "entry",
        (36_000, 44_000),
        ("BLS", "Vital Signs", "Phlebotomy", "EHR", "Patient Intake", "Scheduling", "Injections"),
        (
            "Room patients and record vital signs and histories.",
            "Assist providers with exams and minor procedures.",
            "Draw blood and give injections as directed.",
            "Keep exam rooms stocked, clean and ready.",
        ),
    ),
    _Role(
        "Pharmacist",
        "healthcare",
        "clinical",
        (125_000, 145_000),
        (
            "BLS",
            "Dispensing",
            "Medication Therapy Management",
            "Immunizations",
            "Pharmacy Software",
            "Counseling",
        ),
        (
            "Review and verify prescriptions for safety and accuracy.",
            "Counsel patients on new medications and side effects.",
            "Give immunisations and run medication reviews.",
            "Supervise pharmacy technicians and inventory.",
        ),
    ),
    _Role(
        "Physical Therapist",
        "healthcare",
        "clinical",
        (85_000, 105_000),
        ("BLS", "Orthopedics", "Manual Therapy", "Exercise Prescription", "WebPT", "Patient Education"),
        (
            "Evaluate patients and design individual treatment plans.",
            "Treat orthopaedic and sports injuries in an outpatient clinic.",
            "Track progress and adjust plans based on outcomes.",
            "Teach home exercise programs to patients.",
        ),
    ),
    _Role(
        "Clinical Research Coordinator",
        "healthcare",
        "entry",
        (55_000, 72_000),
        ("GCP", "Clinical Trials", "Informed Consent", "EDC Systems", "IRB Submissions", "Data Management"),
        (
            "Screen and enrol participants in clinical trials.",
            "Obtain informed consent and schedule study visits.",
            "Enter and query data in electronic data capture systems.",
            "Prepare IRB submissions and monitoring visits.",
        ),
    ),
    _Role(
        "Medical Billing Specialist",
        "healthcare",
        "entry",
        (42_000, 54_000),
        ("Medical Billing", "ICD-10", "CPT Coding", "Claims Processing", "Epic", "Insurance Verification"),
        (
            "Submit claims to insurers and follow up on denials.",
            "Verify insurance coverage and benefits before appointments.",
            "Post payments and reconcile patient accounts.",
            "Answer patient billing questions with patience and care.",
        ),
    ),
    _Role(
        "Dental Hygienist",
        "healthcare",
        "clinical",
        (75_000, 92_000),
        ("BLS", "Dental Cleanings", "Periodontal Charting", "Dental X-rays", "Patient Education", "Dentrix"),
        (
            "Provide cleanings, periodontal care and preventive treatment.",
            "Take and review dental radiographs.",
            "Teach patients good oral-hygiene habits.",
            "Keep accurate charts and treatment notes.",
        ),
    ),
    # operations
    _Role(
        "Operations Manager",
        "operations",
        "manager",
        (85_000, 115_000),
        (
            "Operations Management",
            "Lean",
            "Budgeting",
            "KPI Reporting",
            "Team Leadership",
            "Excel",
            "ERP Systems",
        ),
        (
            "Run day-to-day operations for a site of about 80 people.",
            "Set targets, track KPIs and lead continuous-improvement projects.",
            "Manage the operating budget and staffing plan.",
            "Coach supervisors and build a strong safety culture.",
        ),
    ),
    _Role(
        "Supply Chain Analyst",
        "operations",
        "tech",
        (70_000, 92_000),
        ("Excel", "SQL", "Demand Planning", "SAP", "Inventory Optimization", "Power BI", "Forecasting"),
        (
            "Forecast demand and set inventory targets by location.",
            "Analyse supplier lead times and service levels.",
            "Build dashboards for inventory, fill rate and freight cost.",
            "Model scenarios for new warehouses and transport lanes.",
        ),
    ),
    _Role(
        "Logistics Coordinator",
        "operations",
        "entry",
        (45_000, 58_000),
        (
            "Freight Booking",
            "TMS",
            "Customs Documentation",
            "Excel",
            "Carrier Management",
            "Shipment Tracking",
        ),
        (
            "Book inbound and outbound shipments with carriers.",
            "Prepare shipping and customs documents.",
            "Track shipments and resolve delays or damages.",
            "Keep customers and warehouse teams informed about arrival times.",
        ),
    ),
    _Role(
        "Project Manager",
        "operations",
        "entry",
        (85_000, 115_000),
        ("Project Planning", "MS Project", "Risk Management", "Stakeholder Management", "Budgeting", "PMP"),
        (
            "Plan and deliver projects on time, on budget and to scope.",
            "Run status meetings and keep a clear risk and issue log.",
            "Manage contractors and internal resources.",
            "Report progress to sponsors and steering committees.",
        ),
    ),
    _Role(
        "Office Manager",
        "operations",
        "entry",
        (50_000, 65_000),
        ("Office Administration", "Vendor Management", "Event Planning", "Google Workspace", "Budgeting"),
        (
            "Keep our office running smoothly and welcoming for everyone.",
            "Manage vendors, supplies and facilities requests.",
            "Organise team events, lunches and visits.",
            "Support onboarding for new employees on their first day.",
        ),
    ),
    _Role(
        "Warehouse Associate",
        "operations",
        "entry",
        (34_000, 42_000),
        ("Forklift", "Picking and Packing", "RF Scanners", "Inventory Counts", "Safety Procedures"),
        (
            "Pick, pack and ship customer orders accurately.",
            "Receive inbound deliveries and put stock away.",
            "Operate forklifts and pallet jacks safely.",
            "Take part in cycle counts and keep work areas tidy.",
        ),
    ),
    _Role(
        "Procurement Specialist",
        "operations",
        "entry",
        (62_000, 82_000),
        ("Sourcing", "Negotiation", "SAP Ariba", "Contract Management", "Supplier Evaluation", "Excel"),
        (
            "Run sourcing events and compare supplier proposals.",
            "Negotiate prices and terms with suppliers.",
            "Maintain contracts and supplier records.",
            "Track savings and supplier performance.",
        ),
    ),
    _Role(
        "HR Generalist",
        "operations",
        "entry",
        (60_000, 80_000),
        ("Employee Relations", "HRIS", "Onboarding", "Employment Law", "Workday", "Benefits Administration"),
        (
            "Advise managers on employee-relations questions.",
            "Run onboarding and offboarding processes.",
            "Keep HR records and policies up to date.",
            "Support performance reviews and engagement surveys.",
        ),
    ),
    _Role(
        "Technical Recruiter",
        "operations",
        "entry",
        (75_000, 100_000),
        (
            "Technical Recruiting",
            "Sourcing",
            "Greenhouse",
            "LinkedIn Recruiter",
            "Interviewing",
            "Employer Branding",
        ),
        (
            "Partner with hiring managers to plan and fill engineering roles.",
            "Source passive candidates and run outreach campaigns.",
            "Manage candidates through a fair, structured interview process.",
            "Improve our employer brand and candidate experience.",
        ),
    ),
)

_LADDERS: dict[str, tuple[tuple[str, str, float, int, int], ...]] = {
    # (prefix, suffix, salary multiplier, weight, years of experience)
    "tech": (
        ("Junior ", "", 0.72, 10, 1),
        ("", "", 1.0, 34, 3),
        ("", " II", 1.08, 6, 3),
        ("Senior ", "", 1.25, 28, 5),
        ("Staff ", "", 1.45, 7, 8),
        ("Lead ", "", 1.38, 7, 7),
        ("Principal ", "", 1.6, 3, 10),
        ("", " Intern", 0.45, 5, 0),
    ),
    "manager": (("", "", 1.0, 60, 6), ("Senior ", "", 1.2, 30, 8), ("Associate ", "", 0.82, 10, 3)),
    "entry": (("", "", 1.0, 70, 1), ("Senior ", "", 1.2, 20, 4), ("Lead ", "", 1.3, 10, 5)),
    "clinical": (("", "", 1.0, 75, 2), ("Senior ", "", 1.15, 15, 5), ("Charge ", "", 1.2, 10, 6)),
    "sales": (
        ("", "", 1.0, 50, 3),
        ("Senior ", "", 1.2, 25, 5),
        ("Enterprise ", "", 1.3, 15, 6),
        ("Junior ", "", 0.8, 10, 1),
    ),
}

_INDUSTRY_FAMILIES: dict[str, dict[str, int]] = {
    "software": {
        "engineering": 40,
        "data": 12,
        "product": 10,
        "design": 8,
        "marketing": 8,
        "sales": 10,
        "support": 6,
        "finance": 3,
        "operations": 3,
    },
    "fintech": {
        "engineering": 30,
        "data": 14,
        "product": 8,
        "design": 5,
        "marketing": 6,
        "sales": 8,
        "support": 8,
        "finance": 15,
        "operations": 6,
    },
    "finance": {
        "finance": 35,
        "data": 12,
        "engineering": 12,
        "sales": 12,
        "support": 12,
        "operations": 10,
        "marketing": 5,
        "product": 2,
    },
    "healthcare": {
        "healthcare": 60,
        "finance": 8,
        "operations": 14,
        "support": 8,
        "data": 4,
        "engineering": 3,
        "marketing": 3,
    },
    "healthtech": {
        "engineering": 25,
        "data": 12,
        "healthcare": 20,
        "product": 8,
        "design": 5,
        "support": 10,
        "sales": 8,
        "marketing": 5,
        "operations": 4,
        "finance": 3,
    },
    "biotech": {
        "data": 25,
        "healthcare": 15,
        "engineering": 12,
        "operations": 22,
        "finance": 10,
        "marketing": 6,
        "sales": 5,
        "product": 5,
    },
    "retail": {
        "operations": 25,
        "marketing": 18,
        "sales": 15,
        "engineering": 12,
        "data": 8,
        "design": 6,
        "support": 12,
        "finance": 4,
    },
    "logistics": {
        "operations": 40,
        "engineering": 12,
        "data": 10,
        "sales": 12,
        "support": 10,
        "finance": 8,
        "product": 4,
        "marketing": 4,
    },
    "industrial": {
        "operations": 40,
        "engineering": 15,
        "data": 8,
        "finance": 12,
        "sales": 10,
        "support": 5,
        "marketing": 4,
        "design": 2,
    },
    "media": {
        "engineering": 30,
        "design": 20,
        "marketing": 15,
        "data": 8,
        "product": 8,
        "sales": 6,
        "support": 6,
        "operations": 4,
        "finance": 3,
    },
    "services": {
        "marketing": 15,
        "sales": 15,
        "operations": 15,
        "engineering": 15,
        "data": 10,
        "finance": 10,
        "support": 10,
        "design": 5,
        "product": 5,
    },
}

_INDUSTRY_WORDS: dict[str, str] = {
    "software": "B2B software",
    "fintech": "financial technology",
    "finance": "financial services",
    "healthcare": "healthcare",
    "healthtech": "digital health",
    "biotech": "life sciences",
    "retail": "retail and e-commerce",
    "logistics": "logistics",
    "industrial": "manufacturing and energy",
    "media": "media and entertainment",
    "services": "professional services",
}

_COMPANIES: tuple[_Company, ...] = (
    _Company("Lumenforge Software", "software", "workflow automation tools for finance teams", "Austin, TX"),
    _Company(
        "Brightkite Labs",
        "software",
        "a collaboration platform for distributed product teams",
        "San Francisco, CA",
    ),
    _Company(
        "Quillstack",
        "software",
        "developer tooling that keeps documentation in sync with code",
        "Seattle, WA",
    ),
    _Company(
        "Tidewater Systems", "software", "scheduling software for field-service businesses", "Raleigh, NC"
    ),
    _Company("Cobaltline", "software", "observability tools for cloud infrastructure", "New York, NY"),
    _Company("Pinegrove Data", "software", "a customer data platform for mid-size retailers", "Denver, CO"),
    _Company("Vantawave", "software", "video APIs for online education", "Toronto, ON, Canada"),
    _Company("Orchardly", "software", "procurement and inventory software for restaurants", "Chicago, IL"),
    _Company("Helixgrid", "software", "energy-management software for commercial buildings", "Boston, MA"),
    _Company(
        "Stackharbor",
        "software",
        "a managed Kubernetes platform for growing engineering teams",
        "Berlin, Germany",
    ),
    _Company(
        "Quantaloom",
        "software",
        "language models that help support teams answer customers faster",
        "San Francisco, CA",
    ),
    _Company(
        "Tesserai",
        "software",
        "computer vision that checks retail shelves in real time",
        "London, United Kingdom",
    ),
    _Company(
        "Fogline Security",
        "software",
        "managed detection and response for mid-market companies",
        "Washington, DC",
    ),
    _Company(
        "Vaultmoss",
        "software",
        "identity and access management for regulated industries",
        "Amsterdam, Netherlands",
    ),
    _Company("Nimbus Ridge Cloud", "software", "developer-friendly cloud hosting", "Portland, OR"),
    _Company(
        "Larkspur Legal Tech", "software", "contract review software for in-house legal teams", "New York, NY"
    ),
    _Company("Homestead Keys", "software", "property-management software for landlords", "Phoenix, AZ"),
    _Company(
        "Cloudberry Payroll", "software", "payroll and HR software for small businesses", "Salt Lake City, UT"
    ),
    _Company("Teamloom", "software", "performance and engagement tools for HR teams", "Dublin, Ireland"),
    _Company(
        "Kaveri Cloudworks",
        "software",
        "cloud accounting software for Indian SMEs",
        "Bengaluru, Karnataka, India",
    ),
    _Company(
        "Tulipa Systems", "software", "route-planning software for delivery fleets", "Utrecht, Netherlands"
    ),
    _Company(
        "Azahar Digital",
        "services",
        "digital products for banks and retailers as an agency",
        "Barcelona, Spain",
    ),
    _Company(
        "Wattle & Gum Analytics", "software", "sports performance analytics", "Melbourne, VIC, Australia"
    ),
    _Company("Parallax Mint", "fintech", "small-business lending with same-day decisions", "New York, NY"),
    _Company("Ledgerlight", "fintech", "expense management and corporate cards", "San Francisco, CA"),
    _Company("Coinmeadow", "fintech", "cross-border payments for freelancers", "London, United Kingdom"),
    _Company(
        "Maple Circuit", "fintech", "budgeting and savings tools for Canadian families", "Toronto, ON, Canada"
    ),
    _Company(
        "Heatherline Bank", "fintech", "a mobile-first bank for small businesses", "Edinburgh, United Kingdom"
    ),
    _Company(
        "Kestrel Pay", "fintech", "payment terminals and software for independent shops", "Paris, France"
    ),
    _Company("Fernbank Financial", "finance", "community banking across the Midwest", "Minneapolis, MN"),
    _Company("Ironbridge Insurance", "finance", "commercial property and casualty insurance", "Hartford, CT"),
    _Company(
        "Sagepoint Capital", "finance", "investment management for pension funds and endowments", "Boston, MA"
    ),
    _Company(
        "Riverstone Credit Union",
        "finance",
        "member-owned banking for teachers and public employees",
        "Columbus, OH",
    ),
    _Company("Harbor Lantern Insurance", "finance", "pet and travel insurance", "Chicago, IL"),
    _Company(
        "Granite & Finch Advisory", "services", "accounting and tax advisory for start-ups", "Denver, CO"
    ),
    _Company(
        "Clearwater Health Partners",
        "healthcare",
        "a network of community hospitals and clinics",
        "Tampa, FL",
    ),
    _Company("Mercy Ridge Medical Center", "healthcare", "a 400-bed teaching hospital", "Pittsburgh, PA"),
    _Company("Bayfront Family Clinics", "healthcare", "primary and urgent care clinics", "San Diego, CA"),
    _Company(
        "Meridian Oaks Senior Living",
        "healthcare",
        "assisted-living and memory-care communities",
        "Nashville, TN",
    ),
    _Company("Saltmarsh Pharmacy Group", "healthcare", "neighbourhood pharmacies", "Atlanta, GA"),
    _Company(
        "Marigold Care Network", "healthcare", "in-home care for older adults", "Manchester, United Kingdom"
    ),
    _Company("Starling Pet Health", "healthcare", "veterinary hospitals and clinics", "Dallas, TX"),
    _Company(
        "Northpine Physiotherapy", "healthcare", "outpatient physiotherapy clinics", "Vancouver, BC, Canada"
    ),
    _Company(
        "Caremosaic", "healthtech", "telehealth for people living with chronic conditions", "Boston, MA"
    ),
    _Company("Pulsepath Diagnostics", "healthtech", "at-home lab testing", "Los Angeles, CA"),
    _Company("Inkwell Learning", "healthtech", "online continuing education for nurses", "Philadelphia, PA"),
    _Company(
        "Novacline Therapeutics", "biotech", "antibody therapies for autoimmune disease", "Cambridge, MA"
    ),
    _Company("Genfield Bio", "biotech", "gene-editing tools for crop science", "Raleigh, NC"),
    _Company("Lanternfish Bio", "biotech", "diagnostics for rare genetic diseases", "Munich, Germany"),
    _Company("Greenlane Grocers", "retail", "online grocery delivery", "Seattle, WA"),
    _Company("Threadwell", "retail", "sustainable everyday clothing", "Los Angeles, CA"),
    _Company("Kettle & Crane Home", "retail", "home goods sold in 120 stores and online", "Columbus, OH"),
    _Company("Basketly", "retail", "an online marketplace for local makers", "Brooklyn, NY"),
    _Company("Outfield Outfitters", "retail", "outdoor and camping gear", "Denver, CO"),
    _Company("Evergrain Bakery Co.", "retail", "neighbourhood bakery cafés", "Portland, OR"),
    _Company("Maison Clairval", "retail", "skincare and cosmetics sold online", "Lyon, France"),
    _Company("Driftwood Apparel", "retail", "surf and swimwear", "Sydney, NSW, Australia"),
    _Company("Pebblecast Audio", "industrial", "wireless speakers and headphones", "Hamburg, Germany"),
    _Company("Swiftcrate Logistics", "logistics", "same-day delivery for retailers", "Atlanta, GA"),
    _Company("Portside Freight", "logistics", "ocean and rail freight forwarding", "Rotterdam, Netherlands"),
    _Company("Milebright Transport", "logistics", "last-mile delivery fleets", "Dallas, TX"),
    _Company("Gearfinch Robotics", "logistics", "warehouse picking robots", "Pittsburgh, PA"),
    _Company(
        "Ridgeback Mobility", "logistics", "e-bike subscriptions for commuters", "Amsterdam, Netherlands"
    ),
    _Company(
        "Nordlicht Mobility", "logistics", "autonomous shuttles for airports and campuses", "Munich, Germany"
    ),
    _Company(
        "Anvilworks Manufacturing", "industrial", "precision metal components for aerospace", "Houston, TX"
    ),
    _Company("Corevolt Batteries", "industrial", "battery packs for electric buses", "Detroit, MI"),
    _Company("Sunmeadow Energy", "industrial", "community solar projects", "Phoenix, AZ"),
    _Company("Windcrest Power", "industrial", "offshore wind operations and maintenance", "Hamburg, Germany"),
    _Company("Hydroloop", "industrial", "water recycling systems for factories", "Valencia, Spain"),
    _Company("Urbanroot Foods", "industrial", "plant-based frozen meals", "Minneapolis, MN"),
    _Company(
        "Tallgrass Agritech",
        "industrial",
        "sensors and software for precision farming",
        "Calgary, AB, Canada",
    ),
    _Company("Brickyard Builders", "industrial", "commercial construction", "Nashville, TN"),
    _Company("Paperkite Media", "media", "a network of narrative podcasts", "Los Angeles, CA"),
    _Company("Brassline Studios", "media", "mobile puzzle games", "Montreal, QC, Canada"),
    _Company("Moonfern Games", "media", "co-op adventure games for PC and console", "Seattle, WA"),
    _Company(
        "Chalkboard Nine",
        "media",
        "an online tutoring marketplace for school students",
        "Pune, Maharashtra, India",
    ),
    _Company("Wayfarer Loop", "services", "booking software for boutique hotels", "Madrid, Spain"),
    _Company("Silverpine Hotels", "services", "boutique hotels in twelve cities", "Miami, FL"),
    _Company("Copperwick Consulting", "services", "data strategy and analytics consulting", "Chicago, IL"),
    _Company(
        "Fieldnote Research", "services", "market research for consumer brands", "London, United Kingdom"
    ),
    _Company("Foldline Design Studio", "services", "brand and product design for start-ups", "Brooklyn, NY"),
    _Company(
        "Signalnest", "services", "connectivity for industrial IoT devices", "Hyderabad, Telangana, India"
    ),
    _Company("Bluestem Utilities", "industrial", "water and electricity for 300,000 homes", "Sacramento, CA"),
)

_CITIES: tuple[_City, ...] = (
    _City("San Francisco, CA", "US", 1.25),
    _City("New York, NY", "US", 1.22),
    _City("Brooklyn, NY", "US", 1.15),
    _City("Seattle, WA", "US", 1.18),
    _City("Austin, TX", "US", 1.05),
    _City("Boston, MA", "US", 1.15),
    _City("Cambridge, MA", "US", 1.15),
    _City("Chicago, IL", "US", 1.05),
    _City("Denver, CO", "US", 1.03),
    _City("Atlanta, GA", "US", 0.98),
    _City("Los Angeles, CA", "US", 1.12),
    _City("San Diego, CA", "US", 1.08),
    _City("Sacramento, CA", "US", 1.02),
    _City("Portland, OR", "US", 1.02),
    _City("Raleigh, NC", "US", 0.97),
    _City("Minneapolis, MN", "US", 0.98),
    _City("Phoenix, AZ", "US", 0.95),
    _City("Dallas, TX", "US", 0.98),
    _City("Houston, TX", "US", 0.97),
    _City("Philadelphia, PA", "US", 1.0),
    _City("Pittsburgh, PA", "US", 0.93),
    _City("Salt Lake City, UT", "US", 0.95),
    _City("Nashville, TN", "US", 0.93),
    _City("Columbus, OH", "US", 0.92),
    _City("Detroit, MI", "US", 0.92),
    _City("Hartford, CT", "US", 0.98),
    _City("Miami, FL", "US", 0.98),
    _City("Tampa, FL", "US", 0.93),
    _City("Washington, DC", "US", 1.1),
    _City("Toronto, ON, Canada", "CA", 1.0),
    _City("Vancouver, BC, Canada", "CA", 1.0),
    _City("Montreal, QC, Canada", "CA", 0.9),
    _City("Calgary, AB, Canada", "CA", 0.95),
    _City("Ottawa, ON, Canada", "CA", 0.93),
    _City("London, United Kingdom", "GB", 0.62),
    _City("Manchester, United Kingdom", "GB", 0.5),
    _City("Edinburgh, United Kingdom", "GB", 0.52),
    _City("Bristol, England", "GB", 0.52),
    _City("Berlin, Germany", "DE", 0.6),
    _City("Munich, Germany", "DE", 0.68),
    _City("Hamburg, Germany", "DE", 0.62),
    _City("Frankfurt am Main, Germany", "DE", 0.66),
    _City("Paris, France", "FR", 0.55),
    _City("Lyon, France", "FR", 0.47),
    _City("Toulouse, France", "FR", 0.45),
    _City("Amsterdam, Netherlands", "NL", 0.62),
    _City("Rotterdam, Netherlands", "NL", 0.55),
    _City("Utrecht, Netherlands", "NL", 0.56),
    _City("Madrid, Spain", "ES", 0.4),
    _City("Barcelona, Spain", "ES", 0.4),
    _City("Valencia, Spain", "ES", 0.34),
    _City("Dublin, Ireland", "IE", 0.68),
    _City("Warsaw, Poland", "PL", 1.3),
    _City("Bengaluru, Karnataka, India", "IN", 16.0),
    _City("Hyderabad, Telangana, India", "IN", 14.0),
    _City("Pune, Maharashtra, India", "IN", 13.0),
    _City("Gurugram, Haryana, India", "IN", 14.0),
    _City("Sydney, NSW, Australia", "AU", 1.05),
    _City("Melbourne, VIC, Australia", "AU", 1.0),
    _City("Brisbane, QLD, Australia", "AU", 0.95),
    _City("Singapore", "SG", 0.08),
)
"""Factors are local currency per US dollar of a band (rupees for India; Singapore's is per month)."""

_COUNTRY_NAMES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "NL": "Netherlands",
    "ES": "Spain",
    "IE": "Ireland",
    "PL": "Poland",
    "IN": "India",
    "AU": "Australia",
    "SG": "Singapore",
}

_REMOTE_LOCATIONS: dict[str, tuple[str, ...]] = {
    "US": ("Remote", "Remote - US", "United States (Remote)", "Remote (US time zones)", "Anywhere in the US"),
    "CA": ("Remote (Canada)", "Remote - Canada"),
    "GB": ("Remote, UK", "United Kingdom (Remote)"),
    "DE": ("Remote - Germany", "Remote - Europe"),
    "FR": ("Remote - France", "Remote - EMEA"),
    "NL": ("Remote - Netherlands", "Remote - Europe"),
    "ES": ("Remote - Spain", "Remote - EMEA"),
    "IE": ("Remote - Ireland", "Remote - Europe"),
    "PL": ("Remote - Poland", "Remote - Europe"),
    "IN": ("Remote - India", "Work from home, India"),
    "AU": ("Remote - Australia", "Remote (AU/NZ)"),
    "SG": ("Remote - APAC",),
}

_EMPLOYMENT_TEXTS: tuple[tuple[str, int], ...] = (
    ("Full-time", 52),
    ("Full time", 10),
    ("Permanent", 6),
    ("FULL_TIME", 5),
    ("Full-Time, Permanent", 3),
    ("Part-time", 5),
    ("Part time", 2),
    ("Contract", 6),
    ("Contract (6 months)", 2),
    ("Contractor", 1),
    ("Contract to hire", 2),
    ("Temporary", 2),
    ("Fixed-term (12 months)", 1),
    ("", 3),
)

_BENEFITS: dict[str, tuple[str, ...]] = {
    "common": (
        "Flexible working hours built around your life.",
        "A yearly learning budget for courses, books and conferences.",
        "A home-office setup allowance.",
        "Generous paid parental leave.",
        "Employee stock options.",
        "A monthly wellness stipend.",
        "Team offsites twice a year.",
        "Free access to a mental-health and therapy app.",
        "Paid volunteering days.",
        "A sabbatical after five years with us.",
    ),
    "US": (
        "Medical, dental and vision insurance with low premiums.",
        "A 401(k) plan with a 4% company match.",
        "Flexible PTO plus twelve company holidays.",
        "Commuter benefits.",
        "Life and disability insurance.",
    ),
    "CA": (
        "Extended health and dental coverage from day one.",
        "RRSP matching up to 4%.",
        "Three weeks of vacation to start.",
    ),
    "GB": (
        "Private medical insurance.",
        "25 days of holiday plus bank holidays.",
        "A pension with 6% employer contributions.",
        "Cycle-to-work scheme.",
    ),
    "EU": (
        "30 days of paid vacation.",
        "A company pension scheme.",
        "A subsidised public transport pass.",
        "Meal vouchers for every working day.",
        "Relocation support and help with visas.",
    ),
    "IN": (
        "Health insurance for you, your spouse, children and parents.",
        "An annual performance bonus.",
        "Meal cards and a home-internet allowance.",
    ),
    "AU": (
        "Superannuation on top of base salary.",
        "An extra wellbeing day every quarter.",
        "Salary packaging options.",
    ),
    "SG": (
        "Comprehensive medical and dental coverage.",
        "An annual wage supplement (13th month).",
        "A flexible benefits account.",
    ),
    "clinical": (
        "Shift differentials for evenings, nights and weekends.",
        "Tuition reimbursement and paid certification renewals.",
        "A sign-on bonus for eligible positions.",
        "Free parking and discounted meals on site.",
    ),
}

_HEADINGS = {
    "role": ("About the role", "The role", "What this job is about", "Your role"),
    "duties": (
        "What you'll do",
        "Responsibilities",
        "Your impact",
        "In this role you will",
        "Key responsibilities",
    ),
    "requirements": (
        "What we're looking for",
        "Requirements",
        "About you",
        "Qualifications",
        "You should have",
    ),
    "nice": ("Nice to have", "Bonus points", "It's a plus if you have"),
    "benefits": ("What we offer", "Benefits", "Perks and benefits", "Why you'll love working here"),
    "company": ("About us", "Who we are", "About the company"),
}

_TEAMS: dict[str, tuple[str, ...]] = {
    "engineering": ("core", "growth", "platform", "payments", "infrastructure", "mobile", "integrations"),
    "data": ("analytics", "insights", "data platform", "machine learning", "decision science"),
    "product": ("core product", "growth", "platform", "enterprise", "mobile"),
    "design": ("product design", "brand", "design systems", "research"),
    "marketing": ("marketing", "growth", "brand", "demand generation", "content"),
    "sales": ("enterprise sales", "mid-market", "customer", "partner", "commercial"),
    "support": ("customer support", "customer experience", "technical support", "IT"),
    "finance": ("finance", "accounting", "FP&A", "controllership"),
    "healthcare": ("outpatient", "inpatient", "primary care", "rehabilitation", "clinical"),
    "operations": ("operations", "fulfilment", "logistics", "people", "workplace"),
}

_GLOBAL_INDUSTRIES = ("software", "fintech", "media", "biotech", "logistics", "industrial", "healthtech")


class _Posting(NamedTuple):
    company: _Company
    role: _Role
    title: str
    multiplier: float
    years: int
    intern: bool


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def _weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def _city(text: str) -> _City:
    return next(city for city in _CITIES if city.text == text)


def _benefit_region(country: str) -> str:
    return country if country in ("US", "CA", "GB", "IN", "AU", "SG") else "EU"


def _round_to(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


def _money(amount: float, symbol: str, *, k: bool) -> str:
    if k:
        return f"{symbol}{round(amount / 1000)}K"
    return f"{symbol}{int(amount):,}"


def _rate(amount: float, symbol: str) -> str:
    return f"{symbol}{amount:.2f}" if amount % 1 else f"{symbol}{int(amount)}"


def _lakh(amount: int) -> str:
    """Indian digit grouping: 1800000 -> 18,00,000."""
    text = str(amount)
    head, tail = text[:-3], text[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail]) if groups else tail


def _salary_text(rng: random.Random, posting: _Posting, country: str, factor: float) -> str:
    """A salary in one of the many notations job boards use; empty for about a quarter of postings."""
    roll = rng.random()
    if roll < 0.24:
        return ""
    if roll < 0.27:
        return rng.choice(("Competitive", "Competitive salary + equity", "DOE", "Negotiable"))
    low_band, high_band = posting.role.band
    low = low_band * posting.multiplier * factor * rng.uniform(0.93, 1.07)
    high = max(
        low * rng.uniform(1.12, 1.35), high_band * posting.multiplier * factor * rng.uniform(0.93, 1.07)
    )
    family = _FAMILIES[posting.role.family]
    hourly_chance = 0.7 if low_band < 50_000 else family.hourly
    hourly = posting.intern or rng.random() < hourly_chance
    if country == "IN":
        low_inr, high_inr = _round_to(low, 50_000), _round_to(high, 50_000)
        return rng.choice(
            (
                f"₹{_lakh(low_inr)} - ₹{_lakh(high_inr)} a year",
                f"INR {_lakh(low_inr)} - {_lakh(high_inr)} per annum",
            )
        )
    if country == "SG":
        low_m, high_m = _round_to(low, 100), _round_to(high, 100)
        return f"S${low_m:,} - S${high_m:,} a month"
    if country == "PL":
        low_m, high_m = _round_to(low / 12 * 0.9, 500), _round_to(high / 12 * 0.9, 500)
        return rng.choice(
            (f"PLN {low_m:,} - {high_m:,} / month", f"{low_m:,} - {high_m:,} PLN brutto miesięcznie")
        )
    symbol = {"US": "$", "CA": "CA$", "GB": "£", "AU": "A$"}.get(country, "€")
    if hourly:
        low_h, high_h = round(low / 2080 * 2) / 2, round(high / 2080 * 2) / 2
        style = rng.randrange(3)
        if style == 0:
            return f"{_rate(low_h, symbol)}/hour"
        if style == 1:
            return f"{_rate(low_h, symbol)} - {_rate(high_h, symbol)} {rng.choice(('an hour', 'per hour'))}"
        return f"{_rate(low_h, symbol)}-{_rate(high_h, symbol)}/hr"
    low_r, high_r = _round_to(low, 1000), _round_to(high, 1000)
    if country in ("FR", "ES") and rng.random() < 0.25:
        return f"€{_round_to(low / 12, 100):,} - €{_round_to(high / 12, 100):,} per month"
    style = rng.randrange(8)
    if style == 0:
        return f"{_money(low_r, symbol, k=True)}-{_money(high_r, symbol, k=True)}"
    if style == 1:
        return f"{_money(low_r, symbol, k=False)} - {_money(high_r, symbol, k=False)} a year"
    if style == 2:
        return f"{_money(low_r, symbol, k=True)} - {_money(high_r, symbol, k=True)} (Employer est.)"
    if style == 3:
        return f"Up to {_money(high_r, symbol, k=True).lower()}" if symbol != "£" else f"Up to £{high_r:,}"
    if style == 4:
        return f"From {_money(low_r, symbol, k=False)} per year"
    if style == 5:
        return (
            f"{_money(low_r, symbol, k=True).lower()}"
            if symbol == "£"
            else f"{_money(low_r, symbol, k=False)} a year"
        )
    if style == 6:
        unit = "per annum" if country in ("GB", "AU", "IE") else "per year"
        # An en dash, as many boards write ranges.
        return f"{_money(low_r, symbol, k=False)}\u2013{_money(high_r, symbol, k=False)} {unit}"
    code = {"US": "USD", "CA": "CAD", "GB": "GBP", "AU": "AUD"}.get(country, "EUR")
    return f"{code} {low_r:,}-{high_r:,}"


def _posting(rng: random.Random, company: _Company) -> _Posting:
    family = _weighted(rng, list(_INDUSTRY_FAMILIES[company.industry].items()))
    role = rng.choice([r for r in _ROLES if r.family == family])
    prefix, suffix, multiplier, _, years = _weighted(rng, [(step, step[3]) for step in _LADDERS[role.ladder]])
    title = f"{prefix}{role.title}{suffix}"
    if prefix == "Charge ":
        title = "Charge Nurse" if role.title == "Registered Nurse" else f"Senior {role.title}"
    return _Posting(company, role, title, multiplier, years, suffix == " Intern")


def _location(rng: random.Random, company: _Company, posting: _Posting) -> tuple[str, str, str, float]:
    """(location text, workplace type, country, salary factor)."""
    home = _city(company.hq) if any(c.text == company.hq for c in _CITIES) else _CITIES[0]
    if rng.random() < 0.65:
        city = home
    else:
        same_country = [c for c in _CITIES if c.country == home.country]
        city = rng.choice(same_country if rng.random() < 0.7 else list(_CITIES))
    onsite_only = posting.role.family == "healthcare" or posting.role.title in (
        "Warehouse Associate",
        "Office Manager",
    )
    roll = rng.random()
    if not onsite_only and roll < 0.22:
        text = rng.choice(_REMOTE_LOCATIONS[city.country])
        return text, "remote", city.country, city.factor * (0.97 if city.country == "US" else 1.0)
    if not onsite_only and roll < 0.42:
        text = rng.choice((f"Hybrid - {city.text}", f"{city.text} (Hybrid)", city.text))
        return text, "hybrid", city.country, city.factor
    text = city.text
    if city.country == "US" and rng.random() < 0.1:
        text = f"{city.text}, United States"
    elif city.country not in ("US", "SG") and rng.random() < 0.1:
        text = f"{city.text.split(',')[0]}, {_COUNTRY_NAMES[city.country]}"
    return text, "onsite", city.country, city.factor


def _fill(template: str, skills: Sequence[str], years: int, industry: str) -> str:
    return template.format(
        years=max(years, 1), s1=skills[0], s2=skills[1], s3=skills[2], industry=_INDUSTRY_WORDS[industry]
    )


def _company_paragraph(rng: random.Random, company: _Company, facts: dict[str, Any]) -> str:
    openers = (
        f"{company.name} focuses on {company.what}.",
        f"{company.name} is a {_INDUSTRY_WORDS[company.industry]} company known for {company.what}.",
        f"At {company.name}, everything we do is about {company.what}.",
    )
    reach = (
        f"serve customers in {facts['markets']} countries"
        if company.industry in _GLOBAL_INDUSTRIES
        else "serve communities across the region"
    )
    details = (
        f"Founded in {facts['founded']} and headquartered in {company.hq}, we are a team of "
        f"about {facts['size']:,} people.",
        f"Since {facts['founded']} we have grown to roughly {facts['size']:,} people, "
        f"with our main office in {company.hq}.",
        f"We are about {facts['size']:,} people strong and {reach}.",
    )
    closers = (
        "We value clear writing, kindness and shipping things that matter.",
        "We are proud of a culture where people do the best work of their careers.",
        "Our customers stay with us because we listen to them and keep our promises.",
        "",
    )
    return " ".join(part for part in (rng.choice(openers), rng.choice(details), rng.choice(closers)) if part)


def _role_paragraph(rng: random.Random, posting: _Posting, location: str, workplace: str) -> str:
    first = posting.role.duties[0]
    summary = first[0].lower() + first[1:]
    team = rng.choice(_TEAMS[posting.role.family])
    where = {
        "remote": "This is a fully remote position",
        "hybrid": "This is a hybrid position with two to three days a week in the office",
        "onsite": "This position is based on site",
    }[workplace]
    sentences = [
        f"We are hiring a {posting.title} to join our {team} team.",
        f"You will {summary.rstrip('.')}, working closely with colleagues across {posting.company.name}.",
        f"{where} ({location}).",
    ]
    if posting.intern:
        sentences.append("The internship runs for twelve weeks and can lead to a full-time offer.")
    return " ".join(sentences)


_PROCESS = (
    "Our hiring process: a 30-minute call with the recruiter, a conversation with the hiring manager, "
    "a practical exercise based on real work, and a final meeting with the team. We aim to make a "
    "decision within two weeks and give feedback at every stage.",
    "How we hire: after a short introductory call you will meet two future teammates and the hiring "
    "manager. There are no trick questions and no unpaid take-home projects.",
    "Interviews take place over video. Tell us if you need any adjustments and we will gladly make them.",
    "Please apply with your CV; a cover letter is optional. We read every application and reply to "
    "everyone, usually within five working days.",
)

_EQUAL_OPPORTUNITY = (
    "{company} is an equal opportunity employer. We welcome applicants of every background, identity "
    "and experience, and we do not discriminate on the basis of race, religion, gender, sexual "
    "orientation, age, disability or veteran status.",
    "We know that people from under-represented groups often apply only when they meet every "
    "requirement. If this role excites you, please apply anyway.",
    "{company} is committed to an inclusive, accessible workplace. Reasonable accommodations are "
    "available throughout the hiring process.",
)


def _team_sentences(rng: random.Random, posting: _Posting) -> str:
    size = rng.randint(3, 14)
    options = (
        f" You will be one of {size} people on the team, reporting to the head of "
        f"{_FAMILIES[posting.role.family].department.lower()}.",
        " The team works in two-week cycles, plans together and celebrates its wins.",
        f" In your first 90 days you will learn our systems, meet the {size} people you will work with "
        "most and take ownership of your first project.",
        "",
    )
    return rng.choice(options)


def _description(
    rng: random.Random,
    posting: _Posting,
    *,
    facts: dict[str, Any],
    location: str,
    workplace: str,
    country: str,
    skills: list[str],
) -> str:
    family = _FAMILIES[posting.role.family]
    duties = list(posting.role.duties[1:]) + rng.sample(family.duties, k=min(3, len(family.duties)))
    rng.shuffle(duties)
    requirements = [_fill(t, skills, posting.years, posting.company.industry) for t in family.requirements]
    if posting.intern:
        requirements = [r for r in requirements if "+ years" not in r]
        requirements.insert(0, "You are currently studying towards a degree in a related field.")
    spare_skills = [s for s in posting.role.skills if s not in skills[:3]]
    nice = [f"Experience with {s}." for s in spare_skills[:2]]
    region = _benefit_region(country)
    benefit_pool = list(_BENEFITS[region]) + rng.sample(_BENEFITS["common"], k=4)
    if posting.role.family == "healthcare":
        benefit_pool = list(_BENEFITS["clinical"]) + benefit_pool
    benefits = benefit_pool[: rng.randint(3, 5)]

    sections = {
        "company": _company_paragraph(rng, posting.company, facts),
        "role": _role_paragraph(rng, posting, location, workplace) + _team_sentences(rng, posting),
        "duties": duties[: rng.randint(4, 6)],
        "requirements": requirements[: rng.randint(3, 5)],
        "nice": nice[: rng.randint(0, 2)],
        "benefits": benefits,
        "process": rng.choice(_PROCESS) if rng.random() < 0.5 else "",
        "equal": rng.choice(_EQUAL_OPPORTUNITY).format(company=posting.company.name)
        if rng.random() < 0.55
        else "",
    }
    company_first = rng.random() < 0.6

    def words() -> int:
        return sum(
            len(v.split()) if isinstance(v, str) else sum(len(x.split()) for x in v)
            for v in sections.values()
        )

    # Keep the length realistic: drop optional parts and trim the longest lists, or add what is left.
    for optional in ("equal", "process"):
        if words() > _MAX_WORDS:
            sections[optional] = ""
    while words() > _MAX_WORDS:
        longest = max(("duties", "requirements", "benefits", "nice"), key=lambda k: len(sections[k]))
        if len(sections[longest]) <= 2:
            break
        sections[longest] = sections[longest][:-1]
    extra_duties = [d for d in duties if d not in sections["duties"]]
    extra_reqs = [r for r in requirements if r not in sections["requirements"]]
    while words() < _MIN_WORDS and (extra_duties or extra_reqs):
        if extra_duties:
            sections["duties"] = [*sections["duties"], extra_duties.pop(0)]
        else:
            sections["requirements"] = [*sections["requirements"], extra_reqs.pop(0)]

    as_html = rng.random() < 0.15
    headings = {key: rng.choice(options) for key, options in _HEADINGS.items()}
    order = ["company", "role", "duties", "requirements", "nice", "benefits", "process", "equal"]
    if not company_first:
        order = ["role", "duties", "requirements", "nice", "benefits", "company", "process", "equal"]
    parts: list[str] = []
    for key in order:
        value = sections[key]
        if not value:
            continue
        heading = headings.get(key, "")
        if as_html:
            if isinstance(value, str):
                title = f"<h3>{html.escape(heading)}</h3>" if key == "company" and not company_first else ""
                parts.append(f"{title}<p>{html.escape(value)}</p>")
            else:
                items = "".join(f"<li>{html.escape(item)}</li>" for item in value)
                parts.append(f"<h3>{html.escape(heading)}</h3><ul>{items}</ul>")
        elif isinstance(value, str):
            parts.append(f"{heading}\n{value}" if key == "company" and not company_first else value)
        else:
            bullet = rng.choice(("- ", "• ", "* "))
            parts.append(f"{heading}:\n" + "\n".join(f"{bullet}{item}" for item in value))
    return ("\n" if as_html else "\n\n").join(parts)


def _company_code(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    code = "".join(word[0] for word in words) if len(words) >= 3 else words[0][:2] + words[-1][0]
    return code[:3].upper() if len(words) > 1 else words[0][:3].upper()


def _company_facts(rng: random.Random) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = {}
    for company in _COMPANIES:
        old = company.industry in ("healthcare", "finance", "industrial")
        facts[company.name] = {
            "founded": rng.randint(1952, 2005) if old else rng.randint(2008, 2022),
            "size": rng.choice((40, 65, 120, 180, 250, 400, 650, 900, 1_500, 2_800, 6_000, 12_000)),
            "markets": rng.randint(3, 60),
            "code": _company_code(company.name),
        }
    return facts


def generate_postings(count: int = 1500, *, seed: int = 7, now: datetime) -> list[dict[str, Any]]:
    """Make ``count`` synthetic postings as dictionaries with the ``file`` source's column names.

    Keys: ``id``, ``url``, ``apply_url`` (``None`` for some), ``title``, ``company``,
    ``location``, ``workplace_type`` (empty for some), ``employment_type``, ``salary``
    (free text, empty for about a quarter), ``posted_at`` (ISO 8601, within the 60 days
    before ``now``), ``description`` (150-350 words, plain text or HTML), ``skills``
    and ``department``. About 3% are reposts of an earlier posting: same company,
    title, location and description under a new id and URL.

    Args:
        count: How many postings.
        seed: Seed of the random generator; the same arguments give the same postings.
        now: The reference time (timezone-aware).

    Raises:
        ValueError: ``count`` is negative or ``now`` is naive.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, e.g. datetime.now(UTC)")
    rng = random.Random(seed)
    facts = _company_facts(rng)
    reposts = round(count * REPOST_SHARE) if count >= 10 else 0
    used_ids: set[str] = set()
    postings: list[dict[str, Any]] = []

    def new_id(company: _Company) -> str:
        while True:
            candidate = f"{facts[company.name]['code']}-{rng.randint(10_000, 999_999)}"
            if candidate not in used_ids:
                used_ids.add(candidate)
                return candidate

    def url_for(company: _Company, job_id: str) -> str:
        return f"https://careers.{_slug(company.name)}.example/jobs/{job_id}"

    for _ in range(count - reposts):
        company = rng.choice(_COMPANIES)
        posting = _posting(rng, company)
        location, workplace, country, factor = _location(rng, company, posting)
        skills = rng.sample(posting.role.skills, k=min(len(posting.role.skills), rng.randint(4, 7)))
        job_id = new_id(company)
        url = url_for(company, job_id)
        employment = "Internship" if posting.intern else _weighted(rng, _EMPLOYMENT_TEXTS)
        posted = now - timedelta(seconds=rng.randint(0, _WINDOW_SECONDS))
        postings.append(
            {
                "id": job_id,
                "url": url,
                "apply_url": f"{url}/apply" if rng.random() < 0.6 else None,
                "title": posting.title,
                "company": company.name,
                "location": location,
                "workplace_type": workplace if rng.random() < 0.7 else "",
                "employment_type": employment,
                "salary": _salary_text(rng, posting, country, factor),
                "posted_at": posted.replace(microsecond=0).isoformat(),
                "description": _description(
                    rng,
                    posting,
                    facts=facts[company.name],
                    location=location,
                    workplace=workplace,
                    country=country,
                    skills=skills,
                ),
                "skills": skills,
                "department": _FAMILIES[posting.role.family].department,
            }
        )

    companies_by_name = {company.name: company for company in _COMPANIES}
    for _ in range(reposts):
        original = rng.choice(postings[: count - reposts])
        company = companies_by_name[original["company"]]
        job_id = new_id(company)
        url = url_for(company, job_id)
        first = datetime.fromisoformat(original["posted_at"])
        later = first + timedelta(seconds=rng.randint(0, max(0, int((now - first).total_seconds()))))
        postings.append(
            {
                **original,
                "id": job_id,
                "url": url,
                "apply_url": f"{url}/apply" if original["apply_url"] else None,
                "posted_at": later.replace(microsecond=0).isoformat(),
            }
        )
    rng.shuffle(postings)
    return postings


def write_sample_file(path: Path, count: int = 1500, *, seed: int = 7, now: datetime | None = None) -> Path:
    """Write :func:`generate_postings` to ``path`` as JSON Lines (creating its directory).

    Args:
        path: The file to write (``.jsonl`` recommended).
        count: How many postings.
        seed: Seed of the random generator.
        now: The reference time; default the current time (UTC).

    Returns:
        The path written.
    """
    postings = generate_postings(count, seed=seed, now=now or datetime.now(UTC))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    encoder = msgspec.json.Encoder()
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        for posting in postings:
            handle.write(encoder.encode(posting))
            handle.write(b"\n")
    temporary.replace(path)
    return path
